/** The public surface of SSH: sessions, their pool, host keys pinned in the known-hosts store, and SSH errors. */
export { hostKeyFingerprint } from './host-key';
export { KnownHostsStore } from './known-hosts-store';
export type { SftpSession } from './sftp-session';
export type { SshAuth } from './ssh-auth';
export { SshError, type SshErrorCode } from './ssh-error';
export { SshPool } from './ssh-pool';
export { SshSession, type ConfirmHostKey, type SshDependencies, type SshTarget } from './ssh-session';
