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

export interface BenchResult {
  name: string;
  ours: string;
  peer: string;
  peerLabel: string;
  /** Median of our run times over the median of the peer's: above 1 means slower than the peer. */
  ratio: number;
  maxRatio: number;
  pass: boolean;
}

export async function runCase(bench: BenchCase, rounds: number): Promise<BenchResult> {
  // One unmeasured run each: connections, JIT and the page cache warm up.
  await bench.ours.run();
  await bench.peer.run();
  const ours: number[] = [];
  const peer: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [bench.ours, bench.peer] : [bench.peer, bench.ours];
    for (const workload of order) (workload === bench.ours ? ours : peer).push(await timed(workload.run));
  }
  const ratio = median(ours) / median(peer);
  return {
    name: bench.name,
    ours: figure(median(ours), bench.amount),
    peer: figure(median(peer), bench.amount),
    peerLabel: bench.peer.label,
    ratio,
    maxRatio: bench.maxRatio,
    pass: ratio <= bench.maxRatio,
  };
}

async function timed(run: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

function figure(ms: number, amount: BenchCase['amount']): string {
  return amount.unit === 'call' ? `${(ms / amount.count).toFixed(2)} ms/call` : `${((amount.count * 1000) / ms).toFixed(1)} MiB/s`;
}
