/**
 * The node sshd is built by another part of the lab (lab/ssh). It is loaded
 * by path at run time so the API runs (without ssh) on a tree where it is
 * not there yet; once present, the real implementation is used.
 */
export interface NodeSshd {
  port: number;
  user: string;
  privateKeyPath: string;
  hostKeyFingerprint: string;
  close(): Promise<void>;
}

type SshdFactory = (options: { node: string; stateDir: string; port?: number; env: Record<string, string> }) => Promise<NodeSshd>;

async function optionalModule<T>(path: string, name: string): Promise<T | undefined> {
  try {
    const module = (await import(path)) as Record<string, unknown>;
    return module[name] as T | undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module/.test(String(error))) return undefined;
    throw error;
  }
}

export const loadSshdFactory = (): Promise<SshdFactory | undefined> => optionalModule<SshdFactory>('../ssh/node-sshd', 'startNodeSshd');
