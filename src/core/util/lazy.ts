/**
 * A value made on first use and kept. For costly module-level setup (compiling a JSON Schema takes
 * a tenth of a second) that most commands and activations never need.
 */
export function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
