import { z } from 'zod';
import { canonicalFingerprint, normalizeFingerprint, type CertificateInfo } from './certificate';

/**
 * Connection profiles: what the user enters to reach a cluster, as it is
 * kept in the config folder and shown in the renderer. No field holds a
 * secret; passwords, token secrets and SSH passphrases travel once, in the
 * `secrets` part of a save or a login, and stay in the main process.
 */

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/;

/** Free text the user types (names); trimmed, printable, bounded. */
const label = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((text) => !controlCharacters.test(text), 'must not contain control characters');

/** A DNS name, IPv4 or IPv6 address (no brackets, no scheme, no port). */
export const hostSchema = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9._:-]+$/, 'must be a host name or an IP address, without scheme or port');

export const portSchema = z.number().int().min(1).max(65535);

export const fingerprintSchema = z
  .string()
  .transform((text, context) => {
    const normalized = normalizeFingerprint(text);
    if (normalized === null) {
      context.addIssue({ code: 'custom', message: 'must be a SHA-256 fingerprint (64 hexadecimal digits)' });
      return z.NEVER;
    }
    return normalized;
  })
  .pipe(z.string().regex(canonicalFingerprint));

export const tlsTrustSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('system') }).strict(),
  z.object({ mode: z.literal('pinned'), fingerprint: fingerprintSchema }).strict(),
]);
export type TlsTrustSetting = z.infer<typeof tlsTrustSchema>;

export const endpointSchema = z
  .object({
    host: hostSchema,
    port: portSchema.default(8006),
    trust: tlsTrustSchema.default({ mode: 'system' }),
  })
  .strict();
export type EndpointSetting = z.infer<typeof endpointSchema>;

const userName = label(64).refine((text) => !/[\s:]/.test(text), 'must not contain spaces or colons');
const realmId = z.string().regex(/^[A-Za-z][A-Za-z0-9.\-_]{1,31}$/, 'must be a realm id such as pam or pve');
/** `USER@REALM!TOKENID`, as PVE shows it in Datacenter → API Tokens. */
export const tokenIdPattern = /^[^\s!@=:]+@[^\s!@=:]+![A-Za-z][\w.-]*$/;
export const tokenIdSchema = z.string().trim().regex(tokenIdPattern, 'must look like user@realm!tokenname');

export const pveAuthSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('password'), username: userName, realm: realmId }).strict(),
  z.object({ kind: z.literal('token'), tokenId: tokenIdSchema }).strict(),
]);
export type PveAuthSetting = z.infer<typeof pveAuthSchema>;

export const sshAuthSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('key-file'), privateKeyPath: label(4096) }).strict(),
  z.object({ method: z.literal('agent') }).strict(),
  z.object({ method: z.literal('password') }).strict(),
]);
export type SshAuthSetting = z.infer<typeof sshAuthSchema>;

const sshUser = z.string().regex(/^[a-z_][a-z0-9_.-]{0,31}$/i, 'must be a user name such as root');
const nodeName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/, 'must be a node name');

/** Where to reach one node by SSH when its cluster address or the cluster defaults do not fit. */
export const sshNodeOverrideSchema = z
  .object({ host: hostSchema.optional(), port: portSchema.optional(), user: sshUser.optional() })
  .strict();

export const sshSettingsSchema = z
  .object({
    user: sshUser.default('root'),
    port: portSchema.default(22),
    auth: sshAuthSchema.default({ method: 'agent' }),
    jumpHost: z.object({ host: hostSchema, port: portSchema.default(22), user: sshUser.default('root') }).strict().optional(),
    nodes: z.record(nodeName, sshNodeOverrideSchema).default({}),
  })
  .strict();
export type SshSettings = z.infer<typeof sshSettingsSchema>;

/** Everything the user sets on a profile; what an export file holds per cluster. */
export const profileFieldsSchema = z
  .object({
    name: label(100),
    endpoints: z.array(endpointSchema).min(1).max(16),
    auth: pveAuthSchema,
    ssh: sshSettingsSchema.default({ user: 'root', port: 22, auth: { method: 'agent' }, nodes: {} }),
  })
  .strict();
export type ProfileFields = z.infer<typeof profileFieldsSchema>;

export const profileIdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a profile id');

export const profileSchema = profileFieldsSchema.extend({ id: profileIdSchema });
export type ConnectionProfile = z.infer<typeof profileSchema>;

/** The secrets a profile may have; each is stored in the keychain, never in the profile. */
export const secretNames = ['password', 'tokenSecret', 'sshPassphrase', 'sshPassword'] as const;
export type SecretName = (typeof secretNames)[number];

const secretValue = z.string().min(1).max(4096);
/** In a save: a string stores (or replaces) it, null deletes it, absent leaves it as it is. */
export const secretChangesSchema = z
  .object(Object.fromEntries(secretNames.map((name) => [name, secretValue.nullable().optional()])) as Record<SecretName, z.ZodOptional<z.ZodNullable<typeof secretValue>>>)
  .strict();
export type SecretChanges = z.infer<typeof secretChangesSchema>;

export type StoredSecrets = Record<SecretName, boolean>;

export const connectionStatuses = ['disconnected', 'connecting', 'connected', 'renewing', 'offline', 'certificate-problem', 'login-required'] as const;
export type ConnectionStatus = (typeof connectionStatuses)[number];

/** The live state of one profile's session, as the connection list shows it. */
export interface ConnectionState {
  status: ConnectionStatus;
  /** `host:port` calls go to now. */
  endpoint?: string;
  /** Who is logged in: `alice@pve`, or the token id. */
  userid?: string;
  clusterName?: string;
  /** Why the state is not `connected`, when something went wrong. */
  error?: { code: string; message: string };
  /** ISO 8601: when the state last changed. */
  since: string;
}

/** A profile as the renderer sees it: settings, which secrets are stored (not their values), and the live state. */
export interface ProfileView extends ConnectionProfile {
  stored: StoredSecrets;
  state: ConnectionState;
}

export interface SecretBackendView {
  kind: 'keychain' | 'encrypted-file' | 'unavailable';
  detail: string;
}

export interface ConnectionList {
  profiles: ProfileView[];
  secretBackend: SecretBackendView;
}

export type SecondFactorKind = 'totp' | 'recovery' | 'yubico' | 'webauthn' | 'u2f';

export const secondFactorAnswerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['totp', 'yubico']), code: z.string().trim().min(1).max(64) }).strict(),
  z.object({ kind: z.literal('recovery'), key: z.string().trim().min(1).max(128) }).strict(),
]);
export type SecondFactorAnswer = z.infer<typeof secondFactorAnswerSchema>;

/** An endpoint presents a certificate nothing vouches for: the user decides. */
export interface CertificateQuestion {
  kind: 'certificate';
  endpointIndex: number;
  /** `host:port`. */
  endpoint: string;
  certificate: CertificateInfo;
}

/** The outcome of a login attempt that did not fail outright. */
export type LoginOutcome =
  | { kind: 'connected'; profile: ProfileView }
  | { kind: 'second-factor'; kinds: SecondFactorKind[] }
  | { kind: 'password-required' }
  | CertificateQuestion;

/** The outcome of testing a profile (saved or not) without keeping the session. */
export type TestOutcome =
  | { kind: 'ok'; endpoint: string; userid: string; version: string; clusterName?: string }
  /** The credentials were accepted; a code will be asked at each login. */
  | { kind: 'second-factor'; kinds: SecondFactorKind[] }
  | CertificateQuestion;

export interface RealmView {
  realm: string;
  type: string;
  comment?: string;
  default: boolean;
  /** The second factor the realm enforces, when any (`oath`, `yubico`). */
  tfa?: string;
}

export type RealmsOutcome = { kind: 'realms'; realms: RealmView[] } | CertificateQuestion;

/** Asked when an SSH server shows a host key the app has not pinned yet. */
export interface HostKeyQuestion {
  questionId: string;
  profileName: string;
  node: string;
  host: string;
  port: number;
  keyType: string;
  /** As OpenSSH prints it: `SHA256:…`. */
  fingerprint: string;
}

export interface SshTestResult {
  node: string;
  /** `user@host:port` that answered. */
  target: string;
  hostKeyFingerprint: string;
  /** The first line the node printed for `uname -n` and `qemu-img --version`. */
  hostname: string;
  qemuImg: string;
}

/** The file format of an export: profiles without ids and without secrets. */
export const exportFileSchema = z
  .object({
    format: z.literal('pve-desk.connections'),
    version: z.literal(1),
    profiles: z.array(profileFieldsSchema).max(500),
  })
  .strict();
export type ExportFile = z.infer<typeof exportFileSchema>;

export interface ImportResult {
  imported: string[];
  /** Names skipped because a profile with that name exists. */
  skipped: string[];
}
