#!/usr/bin/env node
// `npm test`: type checks, lint, the build, then every vitest project (unit, component, e2e with
// the security scan) inside a private D-Bus session with an unlocked keyring. Stops at the first
// failing step, checks that nothing it started is left running, and closes with one "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runningProcesses, strayProcessesAfter } from './stray-processes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'test-output');
const vitestReport = join(output, 'vitest-report.json');
mkdirSync(output, { recursive: true });
// What runs already (npm, the shell, other work) is not this run's to answer for.
const runningBefore = runningProcesses();
rmSync(vitestReport, { force: true });

const steps = [
  ['type checks', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['build', 'npx', ['electron-vite', 'build', '--logLevel', 'warn']],
  [
    'tests (unit, component, end-to-end, security scan)',
    'bash',
    [join(root, 'build/with-keyring.sh'), 'npx', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`],
  ],
];

let failedStep;
for (const [name, command, args] of steps) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, PVE_DESK_SKIP_BUILD: '1' } });
  console.log(`${result.status === 0 ? '✔' : '✘'} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (result.status !== 0) {
    failedStep = name;
    break;
  }
}

// The app, the lab and the tests stop what they start: whatever from the checkout is still running
// (after a few seconds for the lab to stop) is a leak, named here so it can be found.
const stray = await strayProcessesAfter(root, runningBefore, 15_000, [process.pid]);
if (stray.length > 0) {
  console.log(`\n✘ processes started by the run are still running:\n${stray.map((line) => `  ${line}`).join('\n')}`);
  failedStep ??= 'no process left running';
}

let passed = 0;
let failed = 0;
if (existsSync(vitestReport)) {
  const report = JSON.parse(readFileSync(vitestReport, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests;
}
if (failedStep !== undefined && failed === 0) failed = 1;
if (failedStep !== undefined) console.log(`\nFailed at: ${failedStep}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failedStep === undefined ? 0 : 1);
