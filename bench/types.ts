/** One measured figure. `baseline` + `ratio` give the side-by-side comparison; `goal` is the target in words. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  /** value / baseline.value (or the inverse where the row says so in `goal`). */
  ratio?: number;
  goal?: string;
  pass?: boolean;
}

export type Bench = () => Promise<BenchRow[]>;
