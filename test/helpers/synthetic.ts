/**
 * A learnable binary problem as CSV text: y depends on a number and a category, with noise; x2 is
 * noise. Seeded (an LCG), so every call with the same seed gives the same rows.
 */
export function syntheticCsv(rows: number, seed = 12345): string {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const lines = ['x1,x2,color,y'];
  for (let i = 0; i < rows; i++) {
    const x1 = random() * 4 - 2;
    const x2 = random() * 10;
    const color = ['red', 'green', 'blue'][Math.floor(random() * 3)];
    const y = x1 + (color === 'red' ? 1 : 0) + (random() - 0.5) > 0.3;
    lines.push(`${x1.toFixed(4)},${x2.toFixed(3)},${color},${y}`);
  }
  return lines.join('\n') + '\n';
}
