import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { acceptClockCommands, createLabClock } from './lab-clock';
import { TicketSigner } from './tickets';

const state = mkdtempSync(join(tmpdir(), 'lab-clock-'));
afterAll(() => rmSync(state, { recursive: true, force: true }));

describe('the lab clock', () => {
  it('ages tickets and CSRF tokens: two hours pass at once and PVE’s 7200 s lifetime is over', () => {
    const clock = createLabClock(() => 1_700_000_000);
    const signer = new TicketSigner(state, clock.now);
    const ticket = signer.assemble('PVE', 'root@pam');
    const csrf = signer.csrfToken('root@pam');
    clock.advance(7200);
    expect(signer.verify(ticket, 'PVE', 7200)).toBeDefined();
    expect(signer.verifyCsrf(csrf, 'root@pam', 7200)).toBe(true);
    clock.advance(1);
    expect(signer.verify(ticket, 'PVE', 7200)).toBeUndefined();
    expect(signer.verifyCsrf(csrf, 'root@pam', 7200)).toBe(false);
  });

  it('moves on an `advance-clock` line and says so, ignoring anything else', async () => {
    const clock = createLabClock(() => 100);
    const input = new PassThrough();
    const answers: string[] = [];
    acceptClockCommands(clock, input, (line) => answers.push(line));
    input.write('hello\nadvance-clock 3600\n');
    await expect.poll(() => answers).toEqual(['CLOCK ADVANCED 3600']);
    expect(clock.now()).toBe(3700);
    input.end();
  });
});
