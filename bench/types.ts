/** What one bench module reports: named figures (rates, times, ratios) and notes on how to read them. */
export interface BenchResult {
  name: string;
  figures: Record<string, number | string>;
  notes?: string[];
}

/** Every `bench/*.bench.ts` exports this. */
export type BenchModule = { run(): Promise<BenchResult> };
