/** One node's OpenSSH server, as LAB READY describes it. */
export interface NodeSshd {
  port: number;
  user: string;
  privateKeyPath: string;
  hostKeyFingerprint: string;
  close(): Promise<void>;
}

export { startNodeSshd } from '../ssh/node-sshd';
