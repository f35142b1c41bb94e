import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { hostPortLabel } from '../../../../shared/domain/host-port';
import type { RemoteViewerLaunch } from '../../../../shared/domain/consoles';
import type { ConsoleContext } from '../context';
import { prepareSpice, type SpiceSeams } from '../spice/open-spice';
import { findInPath, installHintFor } from './install-hint';
import { vvFileContent, writeVvFile, type VvFile } from './vv-file';

export interface RemoteViewerOptions {
  /** Integration tests only: see SpiceSeams. */
  seams?: SpiceSeams;
  /** The environment remote-viewer is looked up in (PATH) and runs with (DISPLAY); default the app's. */
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Tests: the started process, to stop it. */
  onStarted?: (viewer: ChildProcess) => void;
  /** How long remote-viewer gets to read the file before the relay deletes it itself (default 15 s). */
  graceMs?: number;
}

const defaultGraceMs = 15_000;

function readOsRelease(): string | undefined {
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      // The other place os-release(5) names.
    }
  }
  return undefined;
}

/** Files still on disk: removed when the app exits, whatever remote-viewer did with them. */
const filesLeft = new Set<VvFile>();
let exitHookSet = false;

function removeAtExit(file: VvFile): void {
  filesLeft.add(file);
  if (exitHookSet) return;
  exitHookSet = true;
  process.once('exit', () => {
    for (const left of filesLeft) left.remove();
  });
}

function removeNow(file: VvFile): void {
  filesLeft.delete(file);
  file.remove();
}

/** remote-viewer on Linux under `setpriv --pdeathsig SIGTERM`, so it ends with the app that started it. */
function spawnViewer(binary: string, file: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): ChildProcess {
  const setpriv = platform === 'linux' ? findInPath('setpriv', env.PATH, platform) : undefined;
  const [command, args] = setpriv !== undefined ? [setpriv, ['--pdeathsig', 'SIGTERM', '--', binary, file]] : [binary, [file]];
  return spawn(command, args, { env, stdio: 'ignore' });
}

/**
 * "Open in remote-viewer": the same spiceproxy answer and self-healed proxy path as the embedded console, written to
 * a private `.vv` file; through SSH, a loopback forward to the node's proxy that lives as long as remote-viewer.
 * When remote-viewer is not installed, says how to install it on this system instead, before asking PVE anything.
 */
export async function openRemoteViewer(
  context: ConsoleContext,
  target: { profileId: string; node: string; vmid: number },
  options: RemoteViewerOptions = {},
): Promise<RemoteViewerLaunch> {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const binary = findInPath('remote-viewer', env.PATH, platform);
  if (binary === undefined) return { launched: false, installHint: installHintFor(platform, platform === 'linux' ? readOsRelease() : undefined) };

  const { answer, route, node, guest } = await prepareSpice(context, target, options.seams);
  const forward =
    route.path.via === 'ssh-tunnel'
      ? await (await context.sessions.ssh(target.profileId, node)).forwardLocal({ remoteHost: route.proxy.host, remotePort: route.proxy.port })
      : undefined;
  const proxy = forward !== undefined ? { host: forward.host, port: forward.port } : route.proxy;
  let file: VvFile;
  try {
    file = writeVvFile(vvFileContent(answer, `http://${hostPortLabel(proxy.host, proxy.port)}`));
  } catch (error) {
    await forward?.close();
    throw error;
  }
  removeAtExit(file);
  const ended = (): void => {
    removeNow(file);
    void forward?.close();
  };
  const viewer = spawnViewer(binary, file.path, env, platform);
  try {
    await once(viewer, 'spawn');
  } catch (error) {
    ended();
    throw error;
  }
  const label = `remote-viewer ${guest.vmid}@${node}`;
  context.logger.info('consoles.remote-viewer-started', { console: label, via: route.path.via });
  viewer.once('exit', (code, signal) => {
    ended();
    context.logger.info('consoles.remote-viewer-exited', { console: label, code, signal });
  });
  // remote-viewer deletes the file once read (delete-this-file=1); if it did not, it has had time enough.
  setTimeout(() => removeNow(file), options.graceMs ?? defaultGraceMs).unref();
  options.onStarted?.(viewer);
  return { launched: true, spicePath: route.path };
}
