import { SshSession, type SshDependencies, type SshTarget } from './ssh-session';

export interface SshSessionRef {
  profileId: string;
  node: string;
}

/**
 * One SSH session per (profile, node), shared by everything that talks to
 * that node. A changed target (the user edited the SSH settings) replaces the
 * session instead of silently keeping the old login.
 */
export class SshPool {
  private readonly sessions = new Map<string, SshSession>();

  constructor(private readonly deps: SshDependencies) {}

  session(ref: SshSessionRef, target: SshTarget): SshSession {
    const key = poolKey(ref);
    const existing = this.sessions.get(key);
    if (existing !== undefined && existing.state !== 'closed' && sameTarget(existing.target, target)) return existing;
    if (existing !== undefined) void existing.close();
    const created = new SshSession(target, this.deps);
    this.sessions.set(key, created);
    return created;
  }

  /** Closes every session of a profile (it was edited, logged out or deleted). */
  async closeProfile(profileId: string): Promise<void> {
    const closing: Array<Promise<void>> = [];
    for (const [key, session] of this.sessions) {
      if (!key.startsWith(`${profileId}\u0000`)) continue;
      this.sessions.delete(key);
      closing.push(session.close());
    }
    await Promise.all(closing);
  }

  async closeAll(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((session) => session.close()));
  }
}

function poolKey(ref: SshSessionRef): string {
  // NUL cannot appear in ids, so no two refs share a key.
  return `${ref.profileId}\u0000${ref.node}`;
}

function sameTarget(a: SshTarget, b: SshTarget): boolean {
  const { jump: jumpA, ...restA } = a;
  const { jump: jumpB, ...restB } = b;
  return jumpA === jumpB && JSON.stringify(restA) === JSON.stringify(restB);
}
