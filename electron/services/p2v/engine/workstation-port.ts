import { randomBytes } from 'node:crypto';
import type { WorkstationImage } from '../../../../shared/domain/p2v';
import type { Logger } from '../../log';
import type { ClusterSessions } from '../../sessions';
import { startNbdExport } from '../nbd';
import type { NbdChannel, WorkstationPort } from './ports';

/**
 * The workstation's image as the node sees it: an NBD export in this process under a fresh random export name,
 * reached from a Unix socket on the node that the node's SSH session forwards back here (`ssh -R /socket`).
 */
export function workstationPort(sessions: Pick<ClusterSessions, 'ssh'>, probe: (path: string) => Promise<WorkstationImage>, logger: Logger): WorkstationPort {
  return {
    probe,
    open: async ({ path, node, socketPath }): Promise<NbdChannel> => {
      const exportName = randomBytes(16).toString('hex');
      const nbd = await startNbdExport({ path, exportName, logger });
      try {
        const ssh = await sessions.ssh(node.profileId, node.node);
        const forward = await ssh.forwardStreamLocal(socketPath, (stream) => nbd.serve(stream));
        return {
          socketPath,
          exportName,
          sentBytes: () => nbd.sentBytes,
          rangeDigest: (offset, length, signal) => nbd.rangeDigest(offset, length, signal),
          close: async () => {
            await forward.close();
            await nbd.close();
          },
        };
      } catch (error) {
        await nbd.close();
        throw error;
      }
    },
  };
}
