#!/usr/bin/env node
// `npm test`: type checks, lint, the build, then every vitest project (unit, component, e2e with
// the security scan) inside a private D-Bus session with an unlocked keyring. Stops at the first
// failing step and closes with one "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'test-output');
const vitestReport = join(output, 'vitest-report.json');
mkdirSync(output, { recursive: true });
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
