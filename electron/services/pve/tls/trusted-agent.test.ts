import { request } from 'node:https';
import { describe, expect, it } from 'vitest';
import { FakePve } from '../testing/fake-pve';
import { useTlsFixtures } from '../testing/tls-fixtures';
import { TlsMismatchError } from './tls-errors';
import { TrustedAgent } from './trusted-agent';

const tls = useTlsFixtures();

function get(port: number, agent: TrustedAgent): Promise<{ status: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path: '/api2/json/access/domains', agent }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, reused: outgoing.reusedSocket }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('TrustedAgent', () => {
  it('sends requests over pinned keep-alive connections', async () => {
    const pve = await new FakePve(tls.certificate).start();
    const agent = new TrustedAgent({ mode: 'pinned', fingerprint: tls.certificate.fingerprint });
    tls.cleanup(
      () => pve.stop(),
      () => agent.destroy(),
    );
    const first = await get(pve.port, agent);
    const second = await get(pve.port, agent);
    expect(first).toEqual({ status: 200, reused: false });
    expect(second).toEqual({ status: 200, reused: true });
    expect(pve.requests).toHaveLength(2);
  });

  it('refuses a server with another certificate before the request is written', async () => {
    const pve = await new FakePve(tls.other).start();
    const agent = new TrustedAgent({ mode: 'pinned', fingerprint: tls.certificate.fingerprint });
    tls.cleanup(
      () => pve.stop(),
      () => agent.destroy(),
    );
    const error = await get(pve.port, agent).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TlsMismatchError);
    expect((error as TlsMismatchError).actual).toBe(tls.other.fingerprint);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pve.applicationBytes).toBe(0);
    expect(pve.requests).toHaveLength(0);
  });
});
