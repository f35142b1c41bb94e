import { describe, expect, it } from 'vitest';
import { newJobRecord } from './job-record';
import { buildReport, describeSource, renderReport } from './report';
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

  it('gives each step its time, bytes and throughput, the checksums and the wire bytes, as Markdown without HTML', () => {
    const record = newJobRecord(jobId(3), testPlan, new Date('2026-01-01T10:00:00Z'));
    const transfer = record.view.steps.find((step) => step.id === 'transfer');
    Object.assign(transfer ?? {}, { state: 'done', startedAt: '2026-01-01T10:00:00.000Z', endedAt: '2026-01-01T10:00:10.000Z', bytes: 100 * 1024 * 1024 });
    record.view.transfer = { segments: 1, segmentsDone: 1, allocatedBytes: 90 * 1024 * 1024, wireBytes: 95 * 1024 * 1024 };
    record.work.verification = { method: 'sha256-blocks', source: 'ab12', target: 'ab12' };
    record.work.warnings.push('<b>check</b> the NIC names');
    record.view.state = 'succeeded';
    record.view.report = buildReport(record, new Date('2026-01-01T10:05:00Z'));

    expect(record.view.report.steps).toEqual([{ id: 'transfer', seconds: 10, bytes: 100 * 1024 * 1024, bytesPerSecond: 10 * 1024 * 1024 }]);
    expect(record.view.report.wireBytes).toBe(95 * 1024 * 1024);
    const { fileName, markdown } = renderReport(record.view);
    expect(fileName).toBe('p2v-150-server-2026-01-01.md');
    expect(markdown).toContain('| Transfer | done | 10.0 s | 100.0 MiB | 10.0 MiB/s |');
    expect(markdown).toContain('- source: `ab12`');
    expect(markdown).toContain('95.0 MiB');
    expect(markdown).toContain('\\<b\\>check\\</b\\> the NIC names');
    // Markup from outside is escaped: no tag a Markdown renderer would take as HTML.
    expect(markdown).not.toMatch(/(^|[^\\])<[a-z]/im);
  });

  it('tells what a failed migration removed', () => {
    const record = newJobRecord(jobId(4), testPlan, new Date('2026-01-01T10:00:00Z'));
    record.view.state = 'failed';
    record.view.error = 'Importing the disk failed: storage full.';
    record.view.cleaned.push({ kind: 'vm', ref: '150', node: 'pve1' });
    const { markdown } = renderReport(record.view);
    expect(markdown).toContain('## Error');
    expect(markdown).toContain('- VM 150 on pve1');
  });
});
