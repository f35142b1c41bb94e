import { describe, expect, it } from 'vitest';
import type { IpcEnvelope } from '../../../shared/ipc/errors';
import { InFlightLimit } from './in-flight-limit';

function deferred(): { promise: Promise<IpcEnvelope>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<IpcEnvelope>((done) => (resolve = () => done({ ok: true, result: null })));
  return { promise, resolve };
}

describe('InFlightLimit', () => {
  it('answers BUSY over the cap, per sender, and admits calls again once one finishes', async () => {
    const limit = new InFlightLimit<string>(2);
    const first = deferred();
    const second = deferred();
    const running = [limit.run('tab', () => first.promise), limit.run('tab', () => second.promise)];
    await expect(limit.run('tab', () => Promise.resolve({ ok: true, result: 'ran' }))).resolves.toMatchObject({
      ok: false,
      error: { code: 'BUSY' },
    });
    await expect(limit.run('other tab', () => Promise.resolve({ ok: true, result: 'ran' }))).resolves.toEqual({ ok: true, result: 'ran' });
    first.resolve();
    await running[0];
    await expect(limit.run('tab', () => Promise.resolve({ ok: true, result: 'ran' }))).resolves.toEqual({ ok: true, result: 'ran' });
    second.resolve();
    await running[1];
  });
});
