/**
 * One lab per test file: started before its tests, stopped after them. Kept
 * apart from lab-harness.ts because it registers vitest hooks, and the bench
 * imports the harness outside vitest.
 */
import { afterAll, beforeAll } from 'vitest';
import { startLab, type RunningLab } from './lab-harness';

/** Long enough for the lab's own start-up timeout plus QEMU guests booting. */
const START_TIMEOUT_MS = 90_000;

/**
 * Registers the hooks and returns the lab and the API token's credentials as
 * stable objects whose fields read the running lab when used, so a test file
 * can destructure them at its top and use them inside its tests.
 */
export function useLab(args: string[]): { lab: RunningLab; auth: { readonly token: string } } {
  let running: RunningLab | undefined;
  beforeAll(async () => {
    running = await startLab(args);
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await running?.stop();
  });
  const started = (): RunningLab => {
    if (!running) throw new Error('The lab is not running yet: use it inside a test or a hook, not while the file loads.');
    return running;
  };
  const lab: RunningLab = {
    get ready() {
      return started().ready;
    },
    get process() {
      return started().process;
    },
    get ca() {
      return started().ca;
    },
    get api() {
      return started().api;
    },
    stderr: () => started().stderr(),
    advanceClock: (seconds) => started().advanceClock(seconds),
    stop: () => started().stop(),
  };
  const auth = {
    get token() {
      return started().ready.accounts.token.value;
    },
  };
  return { lab, auth };
}
