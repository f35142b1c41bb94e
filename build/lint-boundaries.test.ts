import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = new URL('..', import.meta.url).pathname;
const eslint = new ESLint({ cwd: repoRoot });

/** The boundaries rule's messages for a file of this content at this place in the tree (nothing is written to disk). */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'boundaries/dependencies').map((message) => message.message);
}

describe('the lint boundaries between features', () => {
  it('refuses a service that reaches into another service folder past its index.ts', async () => {
    const deep = await boundaryErrors('electron/services/connections/probe.ts', "export { createPveClient } from '../pve/client';\n");
    expect(deep).toEqual([expect.stringContaining('through its index.ts')]);
    expect(await boundaryErrors('electron/services/connections/probe.ts', "export { createPveClient } from '../pve';\n")).toEqual([]);
  });

  it("refuses another folder's test reaching past a service's testing/index.ts", async () => {
    const deep = await boundaryErrors('electron/services/connections/probe.test.ts', "export { FakePve } from '../pve/testing/fake-pve';\n");
    expect(deep).toEqual([expect.stringContaining('through its index.ts')]);
    expect(await boundaryErrors('electron/services/connections/probe.test.ts', "export { FakePve } from '../pve/testing';\n")).toEqual([]);
  });

  it('refuses a host file that reaches into a service folder past its index.ts', async () => {
    const deep = await boundaryErrors('electron/host/probe.ts', "export { createLogger } from '../services/log/logger';\n");
    expect(deep).toEqual([expect.stringContaining('through its index.ts')]);
  });

  it("refuses a renderer feature that reaches into another feature's files past its index.ts", async () => {
    const deep = await boundaryErrors('renderer/features/settings/probe.ts', "export { default } from '../connections/ConnectionList.vue';\n");
    expect(deep).toEqual([expect.stringContaining('through its index.ts')]);
    expect(await boundaryErrors('renderer/features/settings/probe.ts', "export * from '../connections';\n")).toEqual([]);
  });

  it("lets a feature's own files import each other", async () => {
    expect(await boundaryErrors('electron/services/pve/probe.ts', "export { PveError } from './errors';\n")).toEqual([]);
  });
});
