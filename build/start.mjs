#!/usr/bin/env node
// `npm start`: the lab cluster, then the Electron app when its binary is installed, otherwise the
// same UI through the web host (said in one line). The app gets a profile for each lab cluster.
// PVE_DESK_NO_LAB=1 starts the app alone.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
const labState = join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'pve-desk', 'lab');

function electronBinary() {
  try {
    const path = require('electron'); // the package's main export is the binary's path, and throws when it was never downloaded
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the lab in the background and resolves with the file holding its LAB READY answer. */
function startLab() {
  mkdirSync(labState, { recursive: true, mode: 0o700 });
  console.log(`Starting the lab cluster (state in ${labState}; its log goes to lab.log there)…`);
  const logFile = join(labState, 'lab.log');
  // The lab writes its log itself (0600); stderr stays for a crash before it could.
  // Both lab clusters, so a new user sees the inventory of several clusters merged at once.
  const child = spawn(process.execPath, [tsx, join(root, 'lab/main.ts'), '--clusters', '2', '--state', labState, '--log', logFile], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('LAB READY '));
      if (line === undefined) return;
      // The answer holds the lab's passwords: a file only this user reads, never the terminal.
      const readyFile = join(labState, 'ready.json');
      writeFileSync(readyFile, line.slice('LAB READY '.length), { mode: 0o600 });
      resolve({ child, readyFile });
    });
    child.once('exit', (code) => reject(new Error(`The lab cluster stopped during start-up (exit ${code}); see ${logFile}.`)));
  });
}

function run(command, args, env, onExit) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => onExit(code ?? (signal ? 1 : 0)));
}

// PVE_DESK_SKIP_BUILD=1: a test that built the app already (the kill test starts this script twice).
if (process.env.PVE_DESK_SKIP_BUILD !== '1' || !existsSync(join(root, 'out/renderer/index.html'))) {
  execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
let lab;
if (!process.env.PVE_DESK_NO_LAB) {
  try {
    lab = await startLab();
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
const env = lab === undefined ? {} : { PVE_DESK_LAB_READY: lab.readyFile };
const stop = (code) => {
  if (lab === undefined || lab.child.exitCode !== null) process.exit(code);
  lab.child.once('exit', () => process.exit(code));
  lab.child.kill('SIGTERM');
};
const binary = electronBinary();
if (binary !== undefined) {
  run(binary, [root], env, stop);
} else {
  console.log('Electron is not installed on this machine (its binary download is blocked); serving the same app through the web host instead.');
  // Straight through tsx's CLI (no npx, sh or npm in between): the host watches its parents and
  // ends with this script however it is killed, as the lab does.
  run(process.execPath, [tsx, join(root, 'electron/host/main.ts')], env, stop);
}
