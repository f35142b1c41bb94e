import { z } from 'zod';
import type { CarriedMessage, Translations } from '../text/sentence';
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

/** The longest private key path accepted (Linux's PATH_MAX). */
export const maxKeyPathLength = 4096;

export const sshAuthSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('key-file'), privateKeyPath: label(maxKeyPathLength) }).strict(),
  z.object({ method: z.literal('agent') }).strict(),
  z.object({ method: z.literal('password') }).strict(),
]);
export type SshAuthSetting = z.infer<typeof sshAuthSchema>;

const sshUser = z.string().regex(/^[a-z_][a-z0-9_.-]{0,31}$/i, 'must be a user name such as root');
const nodeName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/, 'must be a node name');

/** Where to reach one node by SSH when its cluster address or the cluster defaults do not fit. */
export const sshNodeOverrideSchema = z.object({ host: hostSchema.optional(), port: portSchema.optional(), user: sshUser.optional() }).strict();

/**
 * A bastion the nodes are reached through. It logs in on its own (its own
 * method and secrets): the target's key or password is never offered to it.
 * Profiles saved before it had one default to the agent.
 */
export const jumpHostSchema = z
  .object({ host: hostSchema, port: portSchema.default(22), user: sshUser.default('root'), auth: sshAuthSchema.default({ method: 'agent' }) })
  .strict();
export type JumpHostSetting = z.infer<typeof jumpHostSchema>;

/** Caps on every list a profile holds, so a file or a caller cannot make one unbounded. */
export const profileLimits = { endpoints: 16, nodeOverrides: 64, profiles: 500 } as const;

export const sshSettingsSchema = z
  .object({
    user: sshUser.default('root'),
    port: portSchema.default(22),
    auth: sshAuthSchema.default({ method: 'agent' }),
    jumpHost: jumpHostSchema.optional(),
    nodes: z
      .record(nodeName, sshNodeOverrideSchema)
      .refine((nodes) => Object.keys(nodes).length <= profileLimits.nodeOverrides, `must have at most ${profileLimits.nodeOverrides} node overrides`)
      .default({}),
  })
  .strict();
export type SshSettings = z.infer<typeof sshSettingsSchema>;

/** Everything the user sets on a profile; what an export file holds per cluster. */
export const profileFieldsSchema = z
  .object({
    name: label(100),
    endpoints: z.array(endpointSchema).min(1).max(profileLimits.endpoints),
    auth: pveAuthSchema,
    ssh: sshSettingsSchema.default({ user: 'root', port: 22, auth: { method: 'agent' }, nodes: {} }),
    /** Whether consoles of this cluster share the clipboard with the guests (both ways, and type-clipboard). */
    clipboardSharing: z.boolean().default(true),
  })
  .strict();
export type ProfileFields = z.infer<typeof profileFieldsSchema>;

export const profileIdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a profile id');

export const profileSchema = profileFieldsSchema.extend({ id: profileIdSchema });
export type ConnectionProfile = z.infer<typeof profileSchema>;

/** The secrets a profile may have; each is stored in the keychain, never in the profile. */
export const secretNames = ['password', 'tokenSecret', 'sshPassphrase', 'sshPassword', 'jumpPassphrase', 'jumpPassword'] as const;
export type SecretName = (typeof secretNames)[number];

/** PVE secrets log in to the API; SSH secrets to the nodes and the jump host. */
export const pveSecretNames = ['password', 'tokenSecret'] as const satisfies readonly SecretName[];
export const sshSecretNames = ['sshPassphrase', 'sshPassword', 'jumpPassphrase', 'jumpPassword'] as const satisfies readonly SecretName[];

/**
 * What a stored secret is bound to: the settings that decide where it is sent.
 * A secret is only ever used for the settings it was stored with; a change in
 * any of these asks for it again. SSH secrets follow the endpoints too, since
 * node addresses come from the cluster the endpoints reach.
 */
export function secretBinding(fields: Pick<ProfileFields, 'endpoints' | 'auth' | 'ssh'>, group: 'pve' | 'ssh'): string {
  const endpoints = fields.endpoints.map(({ host, port, trust }) => [host.toLowerCase(), port, trust.mode === 'pinned' ? trust.fingerprint : 'system']);
  const account = group === 'pve' ? fields.auth : fields.ssh;
  return canonicalJson([endpoints, account]);
}

/** JSON with object keys sorted, so the same settings written in another order compare equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

export function secretGroupOf(name: SecretName): 'pve' | 'ssh' {
  return (pveSecretNames as readonly SecretName[]).includes(name) ? 'pve' : 'ssh';
}

const secretValue = z.string().min(1).max(4096);
/** In a save: a string stores (or replaces) it, null deletes it, absent leaves it as it is. */
export const secretChangesSchema = z
  .object(
    Object.fromEntries(secretNames.map((name) => [name, secretValue.nullable().optional()])) as Record<
      SecretName,
      z.ZodOptional<z.ZodNullable<typeof secretValue>>
    >,
  )
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
  error?: { code: string } & CarriedMessage;
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
  /** In English; `detailTranslations` has it in the other languages. */
  detail: string;
  detailTranslations?: Translations;
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
  /** Names this question in `connections.trustCertificate`: only a certificate the main process saw can be pinned. */
  questionId: string;
  endpointIndex: number;
  /** `host:port`. */
  endpoint: string;
  certificate: CertificateInfo;
}

/** The outcome of a login attempt that did not fail outright. */
export type LoginOutcome =
  { kind: 'connected'; profile: ProfileView } | { kind: 'second-factor'; kinds: SecondFactorKind[] } | { kind: 'password-required' } | CertificateQuestion;

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
    profiles: z.array(profileFieldsSchema).max(profileLimits.profiles),
  })
  .strict();
export type ExportFile = z.infer<typeof exportFileSchema>;

/** The settings an import can change on a profile, as the review lists them. */
export const importedSettings = ['endpoints', 'auth', 'ssh.user', 'ssh.port', 'ssh.auth', 'ssh.jumpHost', 'ssh.nodes'] as const;
export type ImportedSetting = (typeof importedSettings)[number];

/** One profile of an import file, as the review shows it before anything is applied. */
export interface ImportPlanEntry {
  /** Its place in the file: what the apply names it by. */
  index: number;
  /** New, or replacing the profile of the same name (its stored secrets are then dropped). */
  action: 'add' | 'replace';
  /** Everything the file sets; pinned fingerprints in it come from the file, not from the user. */
  fields: ProfileFields;
  /** For a replace: the settings that differ from the existing profile. */
  changes: ImportedSetting[];
  /** How many endpoints the file pins to a certificate fingerprint. */
  pinnedFromFile: number;
}

export interface ImportPlan {
  /** Names the plan kept in the main process; the apply can only choose among its entries. */
  planId: string;
  entries: ImportPlanEntry[];
  /** Names given twice in the file: only the first is offered. */
  duplicates: string[];
}

export const importChoiceSchema = z
  .object({
    index: z
      .number()
      .int()
      .min(0)
      .max(profileLimits.profiles - 1),
    keepPins: z.boolean(),
  })
  .strict();
export type ImportChoice = z.infer<typeof importChoiceSchema>;

export interface ImportResult {
  imported: string[];
  replaced: string[];
  /** Names not applied because the list changed since the review (a profile added, replaced or deleted meanwhile). */
  skipped: string[];
}
