import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/** A tiny reader for the flat `key: value` block under electronFuses (no YAML dependency for one map). */
function fusesOf(yaml: string): Record<string, string> {
  const block = yaml.split('\nelectronFuses:\n')[1]?.split(/\n(?=\S)/)[0] ?? '';
  return Object.fromEntries(
    block
      .split('\n')
      .map((line) => line.trim().split(/:\s*/))
      .filter((pair): pair is [string, string] => pair.length === 2 && pair[0] !== ''),
  );
}

describe('electron-builder.yml', () => {
  const yaml = readFileSync(join(root, 'electron-builder.yml'), 'utf8');

  it('flips the Electron fuses the hardening checklist asks for', () => {
    expect(fusesOf(yaml)).toMatchObject({
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
    });
  });

  it("is a configuration electron-builder's own schema accepts, and that check refuses a misspelt fuse", async () => {
    const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    const misspelt = { ...config, electronFuses: { ...config.electronFuses, runAsNod: false } };
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/does not match the API schema/);
  });

  it('never ships the lab or the tests', () => {
    expect(yaml).toContain("'!lab/**'");
    expect(yaml).toContain("'!**/*.test.*'");
  });
});
