/**
 * Measures whether a self-service answer takes longer for an existing account than for an
 * unknown one: runs `rounds` requests of each kind, alternating (so load drifts hit both alike),
 * and reports the median milliseconds of each. Prints; never asserts (timings on a shared CI
 * machine are evidence, not a pass/fail criterion).
 */
import { performance } from 'node:perf_hooks';

export interface TimingReport {
  name: string;
  knownMedianMs: number;
  unknownMedianMs: number;
}

export function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

/** @param known / unknown one request each (the i-th of its kind); their results are collected for comparison. */
export async function compareTimings<T>(name: string, rounds: number, known: (i: number) => Promise<T>, unknown: (i: number) => Promise<T>): Promise<TimingReport & { results: { known: T[]; unknown: T[] } }> {
  const times = { known: [] as number[], unknown: [] as number[] };
  const results = { known: [] as T[], unknown: [] as T[] };
  for (let i = 0; i < rounds; i += 1) {
    const a = await timed(() => known(i));
    const b = await timed(() => unknown(i));
    times.known.push(a.ms);
    times.unknown.push(b.ms);
    results.known.push(a.value);
    results.unknown.push(b.value);
  }
  const report = { name, knownMedianMs: Math.round(median(times.known) * 10) / 10, unknownMedianMs: Math.round(median(times.unknown) * 10) / 10 };
  process.stdout.write(`[timing] ${name}: known ${report.knownMedianMs} ms, unknown ${report.unknownMedianMs} ms (median of ${rounds} each)\n`);
  return { ...report, results };
}
