import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const testOutput = join(repoRoot, 'test-output');
export const rendererDir = join(repoRoot, 'out/renderer');
