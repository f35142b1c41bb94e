import { describe, expect, it } from 'vitest';
import { useTlsFixtures } from '../testing/tls-fixtures';
import { closedPort, startRecordingTlsServer, type RecordingTlsServer } from '../testing/tls-test-server';
import type { TestCertificate } from '../testing/test-certificate';
import { learnNodePins } from './learn-node-pins';

const tls = useTlsFixtures();

async function node(certificate: TestCertificate): Promise<RecordingTlsServer> {
  const server = await startRecordingTlsServer(certificate);
  tls.cleanup(() => server.close());
  return server;
}

const at = (port: number, trust: { mode: 'system' } | { mode: 'pinned'; fingerprint: string } = { mode: 'system' }) => ({ host: '127.0.0.1', port, trust });

describe('learnNodePins', () => {
  it('pins an unverified endpoint whose certificate the cluster lists, without sending it a byte', async () => {
    const listed = await node(tls.certificate);
    const learned = await learnNodePins([at(listed.port)], [tls.certificate.fingerprint.replace(/:/g, '').toLowerCase()]);
    expect(learned).toEqual([{ index: 0, fingerprint: tls.certificate.fingerprint }]);
    await listed.allClosed();
    expect(listed.applicationBytes).toBe(0);
  });

  it('leaves alone a certificate the cluster does not list, a pinned endpoint (even when its pin is stale) and an unreachable one', async () => {
    const impostor = await node(tls.other);
    const pinnedElsewhere = await node(tls.certificate);
    const stale = 'AB:'.repeat(31) + 'AB';
    const endpoints = [at(impostor.port), at(pinnedElsewhere.port, { mode: 'pinned', fingerprint: stale }), at(await closedPort())];
    expect(await learnNodePins(endpoints, [tls.certificate.fingerprint], { timeoutMs: 2_000 })).toEqual([]);
    // A pinned endpoint is not even contacted: its mismatch is the user's to decide.
    expect(pinnedElsewhere.connections).toBe(0);
  });

  it('learns nothing when the cluster lists no fingerprint', async () => {
    const listed = await node(tls.certificate);
    expect(await learnNodePins([at(listed.port)], ['', 'not a fingerprint'])).toEqual([]);
    expect(listed.connections).toBe(0);
  });
});
