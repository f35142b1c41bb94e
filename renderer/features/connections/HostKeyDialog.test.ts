import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostKeyQuestion } from '../../../shared/domain/connections';
import HostKeyDialog from './HostKeyDialog.vue';
import { byTestId, click, exists, fakeIpc, mountInApp, settle } from '../../testing';
import { connectionList } from './testing';

const question = (questionId: string, node: string): HostKeyQuestion => ({
  questionId,
  profileName: 'Lab',
  node,
  host: '127.0.0.1',
  port: 2201,
  keyType: 'ssh-ed25519',
  fingerprint: 'SHA256:2mF3xC1b9pYq3v0l4Z1Jd2Nq0mJX3hK4bH6d0jY8cXo',
});

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
  fakeIpc.answer('connections.list', () => connectionList([]));
});

describe('HostKeyDialog', () => {
  it('shows each pushed question in turn and sends the answer', async () => {
    fakeIpc.answer('connections.answerHostKey', () => ({ answered: true }));
    await mountInApp(HostKeyDialog);
    expect(exists('host-key-dialog')).toBe(false);
    fakeIpc.emit('connections.hostKeyQuestion', question('a'.repeat(32), 'pve1'));
    fakeIpc.emit('connections.hostKeyQuestion', question('b'.repeat(32), 'pve2'));
    await settle();
    const dialog = byTestId('host-key-dialog');
    expect(dialog.textContent).toContain('pve1');
    expect(dialog.textContent).toContain('127.0.0.1:2201');
    expect(dialog.textContent).toContain('ssh-ed25519');
    expect(byTestId('host-key-fingerprint').textContent).toBe('SHA256:2mF3xC1b9pYq3v0l4Z1Jd2Nq0mJX3hK4bH6d0jY8cXo');

    await click('accept-host-key');
    expect(fakeIpc.callsOf('connections.answerHostKey')).toEqual([{ questionId: 'a'.repeat(32), accept: true }]);
    await settle();
    expect(byTestId('host-key-dialog').textContent).toContain('pve2');
    await click('refuse-host-key');
    expect(fakeIpc.callsOf('connections.answerHostKey')[1]).toEqual({ questionId: 'b'.repeat(32), accept: false });
    await settle();
    expect(exists('host-key-dialog')).toBe(false);
  });

  it('closes when another window answered', async () => {
    await mountInApp(HostKeyDialog);
    fakeIpc.emit('connections.hostKeyQuestion', question('c'.repeat(32), 'pve1'));
    await settle();
    expect(exists('host-key-dialog')).toBe(true);
    fakeIpc.emit('connections.hostKeyAnswered', { questionId: 'c'.repeat(32) });
    // The modal's leave transition ends on later frames: a loaded machine takes longer than one settle.
    await vi.waitFor(() => expect(exists('host-key-dialog')).toBe(false));
    expect(fakeIpc.callsOf('connections.answerHostKey')).toEqual([]);
  });

  it('leaves out the profile and node rows for a server that is not a node (a P2V source)', async () => {
    await mountInApp(HostKeyDialog);
    fakeIpc.emit('connections.hostKeyQuestion', { ...question('d'.repeat(32), ''), profileName: '' });
    await settle();
    const dialog = byTestId('host-key-dialog');
    expect(dialog.textContent).toContain('127.0.0.1:2201');
    expect(dialog.textContent).not.toContain('Connection');
    expect(dialog.textContent).not.toContain('Node');
  });
});
