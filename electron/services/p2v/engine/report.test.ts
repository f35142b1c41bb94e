import { describe, expect, it } from 'vitest';
import { newJobRecord } from './job-record';
import { buildReport, describeSource } from './report';
import { jobId, testPlan } from './testing';

describe('the migration report', () => {
  it('names each kind of source the way the VM notes and the report show it', () => {
    expect(describeSource({ kind: 'workstation', path: 'C:\\images\\srv01.vhdx', format: 'vhdx' })).toBe('srv01.vhdx');
    expect(
      describeSource({
        kind: 'ssh',
        address: { host: 'srv01.example', port: 22, username: 'root' },
        credentialId: jobId(9),
        device: '/dev/sda',
        route: 'auto',
      }),
    ).toBe('root@srv01.example:/dev/sda');
    expect(describeSource({ kind: 'node-import', profileId: testPlan.target.profileId, node: 'pve1', volid: 'local:import/a.qcow2', format: 'qcow2' })).toBe(
      'local:import/a.qcow2 on pve1',
    );
  });

  it('gives each step its time, bytes and throughput, the checksums, the wire bytes and the warnings', () => {
    const record = newJobRecord(jobId(3), testPlan, new Date('2026-01-01T10:00:00Z'));
    const transfer = record.view.steps.find((step) => step.id === 'transfer');
    Object.assign(transfer ?? {}, { state: 'done', startedAt: '2026-01-01T10:00:00.000Z', endedAt: '2026-01-01T10:00:10.000Z', bytes: 100 * 1024 * 1024 });
    record.view.transfer = { segments: 1, segmentsDone: 1, allocatedBytes: 90 * 1024 * 1024, wireBytes: 95 * 1024 * 1024 };
    record.work.verification = { method: 'sha256-blocks', source: 'ab12', target: 'ab12' };
    record.work.warnings.push('check the NIC names');
    const report = buildReport(record, new Date('2026-01-01T10:05:00Z'));
    expect(report).toMatchObject({
      startedAt: '2026-01-01T10:00:00.000Z',
      endedAt: '2026-01-01T10:05:00.000Z',
      steps: [{ id: 'transfer', seconds: 10, bytes: 100 * 1024 * 1024, bytesPerSecond: 10 * 1024 * 1024 }],
      verification: { method: 'sha256-blocks', source: 'ab12', target: 'ab12' },
      wireBytes: 95 * 1024 * 1024,
      warnings: ['check the NIC names'],
    });
  });
});
