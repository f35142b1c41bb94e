import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanWithElectronegativity } from './support/electronegativity';
import { rendererDir, repoRoot, testOutput } from './support/paths';

const blocking = new Set(['HIGH', 'MEDIUM']);

describe('Electronegativity security scan', () => {
  it('finds nothing HIGH or MEDIUM in electron/ with the built renderer, and parses every file', async () => {
    // One scan of the whole app, so its global checks (navigation limits, permission handler, CSP)
    // see main and renderer together: electron/ as written (with its reviewed eng-disable notes)
    // and the renderer as built (the scanner does not read .vue files).
    const input = join(testOutput, 'electronegativity-input');
    rmSync(input, { recursive: true, force: true });
    mkdirSync(input, { recursive: true });
    cpSync(join(repoRoot, 'electron'), join(input, 'electron'), { recursive: true, filter: (path) => !path.endsWith('.test.ts') });
    cpSync(rendererDir, join(input, 'renderer'), { recursive: true });

    const result = await scanWithElectronegativity(input, join(testOutput, 'electronegativity.csv'));
    const findings = result.issues
      .filter((issue) => blocking.has(issue.severity.name))
      .map((issue) => `${issue.severity.name} ${issue.id} ${issue.file}:${issue.location.line}`);
    expect(findings).toEqual([]);
    expect(result.errors.map((error) => `${error.file}: ${error.message}`)).toEqual([]);
    // The renderer's CSP is reported (as LOW, for the UI library's inline styles): proof the built HTML was read.
    expect(result.issues.some((issue) => issue.id === 'CSP_GLOBAL_CHECK' && issue.file.startsWith('renderer/'))).toBe(true);
  });

  it('does report a window that turns the protections off (the harness can fail)', async () => {
    const input = join(testOutput, 'electronegativity-control');
    rmSync(input, { recursive: true, force: true });
    mkdirSync(input, { recursive: true });
    writeFileSync(
      join(input, 'main.js'),
      "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n",
    );
    const result = await scanWithElectronegativity(input, join(testOutput, 'electronegativity-control.csv'));
    const ids = result.issues.filter((issue) => blocking.has(issue.severity.name)).map((issue) => issue.id);
    expect(ids).toEqual(expect.arrayContaining(['SANDBOX_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']));
  });
});
