import { request } from 'node:https';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakePve } from '../testing/fake-pve';
import { makeSelfSignedCertificate, type TestCertificate } from '../testing/test-certificate';
import { TlsMismatchError } from './tls-errors';
import { TrustedAgent } from './trusted-agent';

let certificate: TestCertificate;
let other: TestCertificate;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(() => {
  certificate = makeSelfSignedCertificate('pve1.test');
  other = makeSelfSignedCertificate('impostor.test');
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

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
    const pve = await new FakePve(certificate).start();
    const agent = new TrustedAgent({ mode: 'pinned', fingerprint: certificate.fingerprint });
    cleanups.push(() => agent.destroy(), () => pve.stop());
    const first = await get(pve.port, agent);
    const second = await get(pve.port, agent);
    expect(first).toEqual({ status: 200, reused: false });
    expect(second).toEqual({ status: 200, reused: true });
    expect(pve.requests).toHaveLength(2);
  });

  it('refuses a server with another certificate before the request is written', async () => {
    const pve = await new FakePve(other).start();
    const agent = new TrustedAgent({ mode: 'pinned', fingerprint: certificate.fingerprint });
    cleanups.push(() => agent.destroy(), () => pve.stop());
    const error = await get(pve.port, agent).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TlsMismatchError);
    expect((error as TlsMismatchError).actual).toBe(other.fingerprint);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pve.applicationBytes).toBe(0);
    expect(pve.requests).toHaveLength(0);
  });
});
