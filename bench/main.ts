/**
 * `npm run bench`: starts the lab cluster (with a 2 000-guest inventory, the
 * size of a big institute, and no guest running: they would only add noise
 * to what is a measure of the client), runs each case against its peer and prints one
 * line per case with both figures and the ratio. The console relay's case
 * starts one guest for its full-path figures, after the others; the P2V case (bench/cases/p2v.ts)
 * moves a 2 GiB image into a node last. Then the inventory in
 * Chromium against a lab of its own (two clusters of 10 000 guests,
 * bench/cases/inventory.ts). Exits 1 when a figure is over its target.
 * Results also go to test-output/bench.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, startLab, type RunningLab } from '../lab/api/lab-harness';
import { consoleRelayResults } from './cases/console-relay';
import { inventoryResults } from './cases/inventory';
import { p2vResults } from './cases/p2v';
import { pveApiCases } from './cases/pve-api';
import { sshCases } from './cases/ssh';
import { runCase, runMemoryCase, type BenchResult } from './measure';

const rounds = Number(process.env.PVE_DESK_BENCH_ROUNDS ?? 9);

/**
 * `PVE_DESK_BENCH_ONLY=inventory`: the inventory in Chromium alone, to measure a change to the renderer without the
 * client cases; `PVE_DESK_BENCH_ONLY=console-relay`: the console relay alone, to measure a change to the relay;
 * `PVE_DESK_BENCH_ONLY=p2v`: the P2V migration against the manual way alone.
 */
const only = process.env.PVE_DESK_BENCH_ONLY;

async function main(): Promise<void> {
  const results: BenchResult[] = only === 'inventory' ? [] : await clientResults();
  if (only !== 'console-relay' && only !== 'p2v') {
    const inventory = await inventoryResults(Number(process.env.PVE_DESK_BENCH_BROWSER_ROUNDS ?? 5));
    for (const result of inventory.results) results.push(report(inventory.label, result));
  }
  const output = join(repoRoot, 'test-output');
  mkdirSync(output, { recursive: true });
  writeFileSync(join(output, 'bench.json'), JSON.stringify({ rounds, results }, null, 2));
  const failed = results.filter((result) => !result.pass);
  console.log(`\n${results.length - failed.length} of ${results.length} within target (median of ${rounds} alternating rounds; ratio = ours / the peer's)`);
  if (failed.length > 0) process.exitCode = 1;
}

/** The API and SSH clients against their peers, on a lab of their own. */
async function clientResults(): Promise<BenchResult[]> {
  const workDir = mkdtempSync(join(tmpdir(), 'pve-desk-bench-'));
  const lab = await startLab(['--guests', '2000', '--nodes', '2', '--onboot', '0']);
  const results: BenchResult[] = [];
  try {
    if (only !== 'console-relay' && only !== 'p2v') results.push(...(await apiAndSshResults(lab, workDir)));
    if (only !== 'p2v') {
      const consoles = await consoleRelayResults(lab, rounds);
      for (const result of consoles.results) results.push(report(consoles.label, result));
    }
    if (only === undefined || only === 'p2v') {
      const p2v = await p2vResults(lab, workDir, rounds);
      for (const result of p2v.results) results.push(report(p2v.label, result));
    }
  } finally {
    await lab.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
  return results;
}

async function apiAndSshResults(lab: RunningLab, workDir: string): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const api = pveApiCases(lab);
  const ssh = await sshCases(lab, workDir);
  try {
    for (const bench of [...api.cases, ...ssh.cases]) results.push(report(bench.ours.label, await runCase(bench, rounds)));
    for (const bench of api.memory) results.push(report(bench.ours.label, await runMemoryCase(bench, rounds)));
  } finally {
    api.close();
    await ssh.close();
  }
  return results;
}

function report(oursLabel: string, result: BenchResult): BenchResult {
  console.log(
    `${result.pass ? '✔' : '✘'} ${result.name}: ${oursLabel} ${result.ours} · ${result.peerLabel} ${result.peer} · ratio ${result.ratio.toFixed(2)} (target ${result.limit ?? `≤ ${result.maxRatio}`})`,
  );
  return result;
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
