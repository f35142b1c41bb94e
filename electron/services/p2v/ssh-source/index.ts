/**
 * The SSH source of P2V: a running Linux server read over SSH (its figures, the Linux checklist, a block device
 * captured into the node's staging file directly or through this computer, verified by digests on both sides).
 */
export { SshSourceService, type CaptureOptions, type NodeRef, type SshSource, type SshSourceServiceOptions, type VerifyOptions } from './ssh-source-service';
export type { DigestMethod } from './source-digest';
