import type { Browser } from '@playwright/test';

/** One row of bench/results.json. `baseline` and `ratio` are null where nothing compares. */
export interface Metric {
  readonly ours: number;
  readonly baseline: number | null;
  readonly ratio: number | null;
  readonly unit: string;
  readonly baselineName: string | null;
  /** Anything needed to read the number: parameters, sample counts, p95. */
  readonly notes?: string;
}

export interface BenchContext {
  readonly browser: Browser;
  /** Entries per vault in the workloads that take a size. */
  readonly n: number;
  /** Repetitions per measurement: 1 in a smoke run. */
  readonly repeats: number;
  readonly distDir: string;
  readonly harnessDir: string;
}

export interface Workload {
  /** What it measures, for the progress log. */
  readonly title: string;
  run(context: BenchContext): Promise<Record<string, Metric>>;
}

export function metric(
  ours: number,
  unit: string,
  baseline?: { value: number; name: string },
  notes?: string,
): Metric {
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    ours: round(ours),
    baseline: baseline ? round(baseline.value) : null,
    ratio: baseline && baseline.value > 0 ? round(ours / baseline.value) : null,
    unit,
    baselineName: baseline?.name ?? null,
    ...(notes ? { notes } : {}),
  };
}
