/**
 * What lets the node read the source directly: the source's host key as the node sees it (only if it is the one
 * the user pinned), and a temporary key made on the node whose public half the source accepts for this job only
 * (`restrict`, then `from=` the node's address), removed from the source's authorized_keys afterwards.
 */
import { IpcError } from '../../../../shared/ipc/errors';
import { hostKeyFingerprint } from '../../ssh';
import { shellCommand, shellQuote, type NodeShell } from '../node';
import { readCommand, runOnSource, type SourceShell } from './source-command';

export interface SourceEndpoint {
  host: string;
  port: number;
  username: string;
}

/** Files of the direct route in the job's work dir on the node. */
export function directRouteFiles(workDir: string): { key: string; knownHosts: string } {
  return { key: `${workDir}/p2v-source-key`, knownHosts: `${workDir}/p2v-source-known-hosts` };
}

/** `ssh-keyscan` lines (`[host]:port type base64`) whose key has the pinned fingerprint. Exported for its unit test. */
export function pinnedKeyLines(scan: string, pinnedFingerprint: string): { matching: string[]; seen: number } {
  const lines = scan.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
  const matching = lines.filter((line) => {
    const blob = line.trim().split(/\s+/)[2];
    return blob !== undefined && hostKeyFingerprint(Buffer.from(blob, 'base64')) === pinnedFingerprint;
  });
  return { matching, seen: lines.length };
}

/**
 * Writes the node's known-hosts file for the source from what `ssh-keyscan` on the node sees, keeping only the
 * key the user pinned. False when the node does not reach the source; a different key is an error (something
 * between the node and the source answers in its place).
 */
export async function writeKnownHostsOnNode(
  node: NodeShell,
  endpoint: SourceEndpoint,
  pinnedFingerprint: string,
  knownHostsPath: string,
  signal: AbortSignal,
): Promise<boolean> {
  const scan = await readCommand(node, `${shellCommand(['ssh-keyscan', '-T', 10, '-p', endpoint.port, endpoint.host])} 2>/dev/null`, { signal });
  const { matching, seen } = pinnedKeyLines(scan.stdout, pinnedFingerprint);
  if (seen === 0) return false;
  if (matching.length === 0) {
    throw new IpcError('SSH_HOST_KEY_MISMATCH', {
      en: `The node reaches ${endpoint.host}:${endpoint.port} but the server there presents another host key than the one you accepted (${pinnedFingerprint}): nothing was sent to it. Check what answers at that address from the node, or choose the route through this computer.`,
      fr: `Le nœud joint ${endpoint.host}:${endpoint.port}, mais le serveur qui y répond présente une autre clé d’hôte que celle que vous avez acceptée (${pinnedFingerprint}) : rien ne lui a été envoyé. Vérifiez ce qui répond à cette adresse depuis le nœud, ou choisissez le chemin des données « Par cet ordinateur ».`,
    });
  }
  await readCommand(node, `umask 077; printf '%s\\n' ${matching.map(shellQuote).join(' ')} > ${shellQuote(knownHostsPath)}`, { signal });
  return true;
}

/** Makes the temporary key on the node unless the work dir has it already (a resumed job); answers its public line. */
export async function temporaryKeyOnNode(node: NodeShell, keyPath: string, comment: string, signal: AbortSignal): Promise<string> {
  const make = `[ -f ${shellQuote(keyPath)} ] || ${shellCommand(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', keyPath])}`;
  const answer = await readCommand(node, `${make} </dev/null && cat ${shellQuote(`${keyPath}.pub`)}`, { signal });
  const line = answer.stdout.trim();
  if (answer.exitCode !== 0 || !line.startsWith('ssh-ed25519 ')) {
    throw new IpcError('SSH_FAILED', {
      en: `ssh-keygen could not make a temporary key on the node: ${answer.stderr}`,
      fr: `ssh-keygen n’a pas pu créer de clé temporaire sur le nœud : ${answer.stderr}`,
    });
  }
  return line;
}

/** The options a node's key gets: no forwarding, no PTY, no rc; and only from the node's address once it is known. */
export function authorizedKeyLine(publicKey: string, from: string | undefined): string {
  if (from !== undefined && !/^[0-9A-Fa-f.:]+$/.test(from)) throw new RangeError(`authorizedKeyLine: "${from}" is not an address`);
  return `${from === undefined ? '' : `from="${from}",`}restrict ${publicKey}`;
}

const authorizedKeys = '"$HOME/.ssh/authorized_keys"';

/** Replaces the source's authorized_keys line carrying `comment` by `line` (added if there is none); mode and owner stay. */
export async function authorizeOnSource(source: SourceShell, comment: string, line: string, signal: AbortSignal): Promise<void> {
  const command = [
    'umask 077',
    'mkdir -p "$HOME/.ssh"',
    `f=${authorizedKeys}`,
    'touch "$f"',
    `{ grep -v -F -- ${shellQuote(comment)} "$f"; printf '%s\\n' ${shellQuote(line)}; } > "$f.p2v-new"`,
    'cat "$f.p2v-new" > "$f" && rm -f "$f.p2v-new"',
  ].join('; ');
  const what = { en: 'Adding the temporary key to ~/.ssh/authorized_keys', fr: 'L’ajout de la clé temporaire à ~/.ssh/authorized_keys' };
  await runOnSource(source, what, command, {
    signal,
    hint: {
      en: 'Check that the home folder of the user is writable, or choose the route through this computer.',
      fr: 'Vérifiez que le dossier personnel de l’utilisateur est accessible en écriture, ou choisissez le chemin des données « Par cet ordinateur ».',
    },
  });
}

/** Removes the source's authorized_keys lines carrying `comment`; nothing to do when there is none. */
export async function revokeOnSource(source: SourceShell, comment: string, signal?: AbortSignal): Promise<void> {
  const command = [
    `f=${authorizedKeys}`,
    '[ -f "$f" ] || exit 0',
    `grep -q -F -- ${shellQuote(comment)} "$f" || exit 0`,
    `grep -v -F -- ${shellQuote(comment)} "$f" > "$f.p2v-new"`,
    'cat "$f.p2v-new" > "$f" && rm -f "$f.p2v-new"',
  ].join('; ');
  const what = { en: 'Removing the temporary key from ~/.ssh/authorized_keys', fr: 'Le retrait de la clé temporaire de ~/.ssh/authorized_keys' };
  await runOnSource(source, what, command, {
    ...(signal === undefined ? {} : { signal }),
    hint: {
      en: `Remove the line ending in ${comment} from the user's ~/.ssh/authorized_keys by hand.`,
      fr: `Retirez à la main la ligne qui se termine par ${comment} du fichier ~/.ssh/authorized_keys de l’utilisateur.`,
    },
  });
}

/** The OpenSSH client options of every node → source connection: pinned host key only, this key only, no prompts. */
export function nodeSshCommand(
  files: { key: string; knownHosts: string },
  endpoint: SourceEndpoint,
  remoteCommand: string,
  connectTimeoutSeconds = 15,
): string {
  return shellCommand([
    'ssh',
    '-F',
    '/dev/null',
    '-i',
    files.key,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'IdentityAgent=none',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${files.knownHosts}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    `ConnectTimeout=${connectTimeoutSeconds}`,
    '-o',
    'ServerAliveInterval=15',
    '-o',
    'ServerAliveCountMax=4',
    '-o',
    'LogLevel=ERROR',
    '-l',
    endpoint.username,
    '-p',
    endpoint.port,
    endpoint.host,
    remoteCommand,
  ]);
}

/** The node's address as the source sees it (`$SSH_CLIENT` of a login with the temporary key); undefined when the login fails. */
export async function nodeAddressSeenBySource(
  node: NodeShell,
  files: { key: string; knownHosts: string },
  endpoint: SourceEndpoint,
  signal: AbortSignal,
): Promise<string | undefined> {
  const answer = await readCommand(node, nodeSshCommand(files, endpoint, 'printf "%s\\n" "$SSH_CLIENT"', 10), { signal });
  const address = answer.stdout.trim().split(/\s+/)[0];
  return answer.exitCode === 0 && address !== undefined && /^[0-9A-Fa-f.:]+$/.test(address) ? address : undefined;
}
