#!/usr/bin/env node
// `npm start`: the Electron app when its binary is installed; otherwise the same UI through the
// web host, said in one line.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const path = require('electron'); // the package's main export is the binary's path, and throws when it was never downloaded
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const binary = electronBinary();
if (binary !== undefined) {
  run(binary, [root]);
} else {
  console.log('Electron is not installed on this machine (its binary download is blocked); serving the same app through the web host instead.');
  run('npx', ['tsx', join(root, 'electron/host/main.ts')]);
}
