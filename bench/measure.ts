import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Times one workload of the app's against a peer doing the same work in the
 * same process (the library underneath, Node's own client, OpenSSH), in
 * alternating rounds so that whatever else the machine does hits both alike.
 * Only the ratio is judged: absolute times on a shared 2-core machine vary.
 */
export interface Workload {
  label: string;
  run: () => Promise<void>;
}

export interface BenchCase {
  name: string;
  /** What one run moves, to print a figure people know: calls per run, or MiB per run. */
  amount: { count: number; unit: 'call' | 'MiB' };
  ours: Workload;
  peer: Workload;
  /** The most our run may take, as a multiple of the peer's. */
  maxRatio: number;
}

/** What keeping a result costs in heap, ours against the peer's: the result of `load` is held while the heap is measured. */
export interface MemoryCase {
  name: string;
  ours: { label: string; load: () => Promise<unknown> };
  peer: { label: string; load: () => Promise<unknown> };
  /** The most our result may hold, as a multiple of the peer's. */
  maxRatio: number;
}

export interface BenchResult {
  name: string;
  ours: string;
  peer: string;
  peerLabel: string;
  /** Median of ours over the median of the peer's (time, or heap held): above 1 means worse than the peer. */
  ratio: number;
  /** The most the ratio may be; absent when the target is an absolute figure. */
  maxRatio?: number;
  /** An absolute target as printed (`≤ 16 ms`), judged by the case itself. */
  limit?: string;
  pass: boolean;
}

export async function runCase(bench: BenchCase, rounds: number): Promise<BenchResult> {
  const medians = await alternate(
    () => timed(bench.ours.run),
    () => timed(bench.peer.run),
    rounds,
  );
  return judge(bench, medians, (ms) => figure(ms, bench.amount));
}

export async function runMemoryCase(bench: MemoryCase, rounds: number): Promise<BenchResult> {
  const medians = await alternate(
    () => heapHeldBy(bench.ours.load),
    () => heapHeldBy(bench.peer.load),
    rounds,
  );
  return judge(bench, medians, (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MiB held`);
}

/** Medians of both measures over alternating rounds, after one unmeasured run each (connections, JIT and the page cache warm up). */
export async function alternate(ours: () => Promise<number>, peer: () => Promise<number>, rounds: number): Promise<{ ours: number; peer: number }> {
  await ours();
  await peer();
  const measured = { ours: [] as number[], peer: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      measured.ours.push(await ours());
      measured.peer.push(await peer());
    } else {
      measured.peer.push(await peer());
      measured.ours.push(await ours());
    }
  }
  return { ours: median(measured.ours), peer: median(measured.peer) };
}

export function judge(
  bench: { name: string; peer: { label: string }; maxRatio: number },
  medians: { ours: number; peer: number },
  format: (value: number) => string,
): BenchResult {
  const ratio = medians.ours / medians.peer;
  return {
    name: bench.name,
    ours: format(medians.ours),
    peer: format(medians.peer),
    peerLabel: bench.peer.label,
    ratio,
    maxRatio: bench.maxRatio,
    pass: ratio <= bench.maxRatio,
  };
}

// Node only offers a full collection with --expose-gc; the flag can be set at run time, then `gc` read off a new context.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * Heap held per result, with ten results held at once: one alone is within
 * what the last request leaves around (socket buffers, parser state), which
 * a second request frees and so hides.
 */
async function heapHeldBy(load: () => Promise<unknown>): Promise<number> {
  const copies = 10;
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const held: unknown[] = [];
  for (let i = 0; i < copies; i++) held.push(await load());
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  // Reading `held` after the second measure keeps the results reachable until then.
  if (held.length !== copies) throw new Error('a load gave nothing to hold');
  return (after - before) / copies;
}

/** A run of `times` calls, one after the other. */
export function repeat(times: number, once: () => Promise<unknown>): () => Promise<void> {
  return async () => {
    for (let i = 0; i < times; i++) await once();
  };
}

async function timed(run: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

function figure(ms: number, amount: BenchCase['amount']): string {
  return amount.unit === 'call' ? `${(ms / amount.count).toFixed(2)} ms/call` : `${((amount.count * 1000) / ms).toFixed(1)} MiB/s`;
}
