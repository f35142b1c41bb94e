import type { z } from 'zod';
import {
  profileFieldsSchema,
  profileLimits,
  secretBinding,
  secretGroupOf,
  secretNames,
  type ConnectionProfile,
  type EndpointSetting,
  type ProfileFields,
  type SecretChanges,
  type SecretName,
  type sshAuthSchema,
  type SshAuthSetting,
  type StoredSecrets,
} from '../../../shared/domain/connections';

/**
 * The add/edit form's model: flat, always complete, with empty strings and
 * nulls where the profile has nothing, so every input can bind to it. It
 * becomes profile fields only through the shared zod schema.
 */

export type TrustMode = EndpointSetting['trust']['mode'];
export type SshMethod = SshAuthSetting['method'];

export interface EndpointDraft {
  /** Stable across reordering, for the list keys. */
  key: number;
  host: string;
  port: number | null;
  trustMode: TrustMode;
  fingerprint: string;
}

export interface NodeOverrideDraft {
  key: number;
  node: string;
  host: string;
  port: number | null;
  user: string;
}

export interface AuthDraft {
  kind: 'password' | 'token';
  username: string;
  realm: string;
  tokenId: string;
}

export interface JumpHostDraft {
  host: string;
  port: number | null;
  user: string;
  method: SshMethod;
  privateKeyPath: string;
}

export interface SshDraft {
  user: string;
  port: number | null;
  method: SshMethod;
  privateKeyPath: string;
  useJumpHost: boolean;
  jumpHost: JumpHostDraft;
  nodes: NodeOverrideDraft[];
}

export interface ProfileDraft {
  name: string;
  endpoints: EndpointDraft[];
  auth: AuthDraft;
  ssh: SshDraft;
  /** Consoles of this cluster share the clipboard with the guests (both ways, and type-clipboard). */
  clipboardSharing: boolean;
}

/** What the user typed for each secret, or asked to forget; sent once with a save or a test. */
export type SecretsDraft = Record<SecretName, { value: string; forget: boolean }>;

const defaultApiPort = 8006;
export const maxEndpoints = profileLimits.endpoints;
export const maxNodeOverrides = profileLimits.nodeOverrides;
let nextKey = 1;

export function newEndpoint(): EndpointDraft {
  return { key: nextKey++, host: '', port: defaultApiPort, trustMode: 'system', fingerprint: '' };
}

export function newNodeOverride(): NodeOverrideDraft {
  return { key: nextKey++, node: '', host: '', port: null, user: '' };
}

export function draftFromProfile(profile?: ConnectionProfile): ProfileDraft {
  const ssh = profile?.ssh;
  return {
    name: profile?.name ?? '',
    endpoints: profile?.endpoints.map((endpoint) => ({
      key: nextKey++,
      host: endpoint.host,
      port: endpoint.port,
      trustMode: endpoint.trust.mode,
      fingerprint: endpoint.trust.mode === 'pinned' ? endpoint.trust.fingerprint : '',
    })) ?? [newEndpoint()],
    auth: {
      kind: profile?.auth.kind ?? 'password',
      username: profile?.auth.kind === 'password' ? profile.auth.username : '',
      realm: profile?.auth.kind === 'password' ? profile.auth.realm : '',
      tokenId: profile?.auth.kind === 'token' ? profile.auth.tokenId : '',
    },
    clipboardSharing: profile?.clipboardSharing ?? true,
    ssh: {
      user: ssh?.user ?? 'root',
      port: ssh?.port ?? 22,
      method: ssh?.auth.method ?? 'agent',
      privateKeyPath: ssh?.auth.method === 'key-file' ? ssh.auth.privateKeyPath : '',
      useJumpHost: ssh?.jumpHost !== undefined,
      jumpHost: {
        host: ssh?.jumpHost?.host ?? '',
        port: ssh?.jumpHost?.port ?? 22,
        user: ssh?.jumpHost?.user ?? 'root',
        method: ssh?.jumpHost?.auth.method ?? 'agent',
        privateKeyPath: ssh?.jumpHost?.auth.method === 'key-file' ? ssh.jumpHost.auth.privateKeyPath : '',
      },
      nodes: Object.entries(ssh?.nodes ?? {}).map(([node, override]) => ({
        key: nextKey++,
        node,
        host: override.host ?? '',
        port: override.port ?? null,
        user: override.user ?? '',
      })),
    },
  };
}

export function emptySecrets(): SecretsDraft {
  return Object.fromEntries(secretNames.map((name) => [name, { value: '', forget: false }])) as SecretsDraft;
}

const optional = <T>(value: T | null): T | undefined => (value === null || value === '' ? undefined : value);

/** The endpoint as `connections.realms` and the schema take it. */
export function endpointInput(endpoint: EndpointDraft): z.input<typeof profileFieldsSchema>['endpoints'][number] {
  return {
    host: endpoint.host,
    port: optional(endpoint.port),
    trust: endpoint.trustMode === 'pinned' ? { mode: 'pinned', fingerprint: endpoint.fingerprint } : { mode: 'system' },
  };
}

function sshAuthInput(method: SshMethod, privateKeyPath: string): z.input<typeof sshAuthSchema> {
  return method === 'key-file' ? { method: 'key-file', privateKeyPath } : { method };
}

function fieldsInput(draft: ProfileDraft, nodes: NodeOverrideDraft[]): z.input<typeof profileFieldsSchema> {
  const { auth, ssh } = draft;
  const jump = ssh.jumpHost;
  return {
    name: draft.name,
    endpoints: draft.endpoints.map(endpointInput),
    auth: auth.kind === 'password' ? { kind: 'password', username: auth.username, realm: auth.realm } : { kind: 'token', tokenId: auth.tokenId },
    clipboardSharing: draft.clipboardSharing,
    ssh: {
      user: ssh.user,
      port: optional(ssh.port),
      auth: sshAuthInput(ssh.method, ssh.privateKeyPath),
      jumpHost: ssh.useJumpHost
        ? { host: jump.host, port: optional(jump.port), user: optional(jump.user), auth: sshAuthInput(jump.method, jump.privateKeyPath) }
        : undefined,
      nodes: Object.fromEntries(
        nodes.map((row) => [row.node.trim(), { host: optional(row.host.trim()), port: optional(row.port), user: optional(row.user.trim()) }]),
      ),
    },
  };
}

/** Why a field is refused: a message key under `connections.validation` and its parameters. */
export interface FieldProblem {
  key: string;
  params?: Record<string, number>;
}

/** Keyed by the field's path in the draft, such as `endpoints.0.host` or `ssh.nodes.2.port`. */
export type FieldProblems = Record<string, FieldProblem>;

export type DraftCheck = { ok: true; fields: ProfileFields } | { ok: false; problems: FieldProblems };

// The last path segment names the field; its format message explains what it accepts.
const formatProblems: Record<string, string> = {
  name: 'name',
  host: 'host',
  port: 'port',
  fingerprint: 'fingerprint',
  username: 'username',
  realm: 'realm',
  tokenId: 'tokenId',
  user: 'sshUser',
  node: 'node',
};

function problemOf(issue: z.core.$ZodIssue, field: string): FieldProblem {
  if (issue.code === 'invalid_key') return { key: 'node' };
  if (issue.code === 'too_small' && issue.origin === 'array') return { key: 'atLeastOne' };
  if (issue.code === 'too_small' && issue.origin === 'string') return { key: 'required' };
  if (issue.code === 'too_big' && issue.origin === 'string') return { key: 'tooLong', params: { max: Number(issue.maximum) } };
  return { key: formatProblems[field] ?? 'invalid' };
}

/** Rows left blank are dropped; a row without a node name, or a name used twice, is refused here (a record cannot say). */
function checkNodeRows(rows: NodeOverrideDraft[], problems: FieldProblems): NodeOverrideDraft[] {
  const filled = rows.filter((row) => row.node.trim() !== '' || row.host.trim() !== '' || row.port !== null || row.user.trim() !== '');
  const seen = new Set<string>();
  for (const row of filled) {
    const node = row.node.trim();
    const index = rows.indexOf(row);
    if (node === '') problems[`ssh.nodes.${index}.node`] = { key: 'required' };
    else if (seen.has(node)) problems[`ssh.nodes.${index}.node`] = { key: 'duplicateNode' };
    seen.add(node);
  }
  return filled;
}

/** Checks the draft with the schema the host applies, and says which field is wrong and why. */
export function checkDraft(draft: ProfileDraft): DraftCheck {
  const problems: FieldProblems = {};
  const nodes = checkNodeRows(draft.ssh.nodes, problems);
  const parsed = profileFieldsSchema.safeParse(fieldsInput(draft, nodes));
  if (parsed.success && Object.keys(problems).length === 0) return { ok: true, fields: parsed.data };
  for (const issue of parsed.error?.issues ?? []) {
    const path = draftPath(issue.path, draft);
    const field = [...issue.path].reverse().find((segment) => typeof segment === 'string') ?? '';
    problems[path] ??= problemOf(issue, issue.code === 'invalid_key' ? 'node' : field);
  }
  return { ok: false, problems };
}

/** Node overrides are a record in the schema and rows in the form: map the node name back to its row. */
function draftPath(path: readonly PropertyKey[], draft: ProfileDraft): string {
  const segments = path.map(String);
  if (segments[0] === 'ssh' && segments[1] === 'nodes' && segments[2] !== undefined) {
    const row = draft.ssh.nodes.findIndex((candidate) => candidate.node.trim() === segments[2]);
    return ['ssh', 'nodes', String(row), segments[3] ?? 'node'].join('.');
  }
  if (segments[0] === 'ssh' && segments[1] === 'auth') return ['ssh', ...segments.slice(2)].join('.');
  if (segments[0] === 'ssh' && segments[1] === 'jumpHost' && segments[2] === 'auth') return ['ssh', 'jumpHost', ...segments.slice(3)].join('.');
  if (segments[0] === 'endpoints' && segments[2] === 'trust') return ['endpoints', segments[1], 'fingerprint'].join('.');
  return segments.join('.');
}

/** Which secret each setting uses; the others are forgotten when stored, so no unused secret lingers in the keychain. */
function secretsInUse(draft: ProfileDraft): Record<SecretName, boolean> {
  return {
    password: draft.auth.kind === 'password',
    tokenSecret: draft.auth.kind === 'token',
    sshPassphrase: draft.ssh.method === 'key-file',
    sshPassword: draft.ssh.method === 'password',
    jumpPassphrase: draft.ssh.useJumpHost && draft.ssh.jumpHost.method === 'key-file',
    jumpPassword: draft.ssh.useJumpHost && draft.ssh.jumpHost.method === 'password',
  };
}

export function secretChanges(draft: ProfileDraft, secrets: SecretsDraft, stored?: StoredSecrets): SecretChanges {
  const inUse = secretsInUse(draft);
  const changes: SecretChanges = {};
  for (const name of Object.keys(secrets) as SecretName[]) {
    const { value, forget } = secrets[name];
    if (!inUse[name]) {
      if (stored?.[name] === true) changes[name] = null;
    } else if (forget) changes[name] = null;
    else if (value !== '') changes[name] = value;
  }
  return changes;
}

/**
 * The stored secrets a save of `fields` would forget: the main process keeps a
 * secret only for the addresses and account it was stored for, so changing
 * them needs the secret typed again (unless it is typed or forgotten in this save).
 */
export function secretsToRetype(profile: ConnectionProfile & { stored: StoredSecrets }, fields: ProfileFields, changes: SecretChanges): SecretName[] {
  return secretNames.filter(
    (name) => profile.stored[name] && changes[name] === undefined && secretBinding(profile, secretGroupOf(name)) !== secretBinding(fields, secretGroupOf(name)),
  );
}
