/**
 * The lab cluster: `npm run lab -- [options]` (see lab/README.md). Runs in
 * the foreground, prints exactly one `LAB READY <json>` line on stdout when
 * every cluster answers, logs to stderr (or `--log FILE`), and stops everything it started on
 * SIGINT/SIGTERM or when the process that started it goes away.
 */
import { rmSync, mkdirSync } from 'node:fs';
import { watchParents } from '../electron/services/process';
import { join } from 'node:path';
import { loadOrCreateSecrets, SEEDED } from './cluster/accounts';
import { startCluster, type RunningCluster } from './cluster/lab-cluster';
import { pveRelease } from './cluster/pve-release';
import { buildGuestImage } from './guest-image/build-guest-image';
import { prepareSpiceTls } from './qemu/spice-tls';
import { parseLabOptions, USAGE } from './cli-options';
import { createLabLog } from './lab-log';
import { acceptClockCommands, createLabClock } from './cluster/lab-clock';

let log = createLabLog();

async function main(): Promise<void> {
  let options;
  try {
    options = parseLabOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
  }
  const startedAt = Date.now();
  if (options.log !== undefined) log = createLabLog(options.log);
  if (options.fresh) rmSync(options.state, { recursive: true, force: true });
  mkdirSync(options.state, { recursive: true, mode: 0o700 });

  const clusters: RunningCluster[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (reason: string, code: number): Promise<void> =>
    (stopping ??= (async () => {
      log(`stopping (${reason})`);
      const timer = setTimeout(() => process.exit(code), 20_000);
      timer.unref();
      await Promise.allSettled(clusters.map((c) => c.close()));
      process.exit(code);
    })());
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  process.on('SIGHUP', () => void stop('SIGHUP', 0));
  // When the process that started it exits, the lab exits, so a killed test never leaves QEMU behind.
  watchParents(() => void stop('parent process exited', 0));

  const { secrets, save } = loadOrCreateSecrets(options.state);
  const [spiceTls, guestImage] = await Promise.all([
    prepareSpiceTls(join(options.state, 'spice-tls')),
    buildGuestImage(join(options.state, 'guest-image')).catch((error: unknown) => {
      log(`guest image not built, Linux guests will not boot: ${String(error)}`);
      return undefined;
    }),
  ]);

  const clock = createLabClock();
  if (options.clockControl) acceptClockCommands(clock, process.stdin, (line) => process.stdout.write(`${line}\n`));

  const names = ['lab1', 'lab2'];
  for (let i = 0; i < options.clusters; i++) {
    const name = names[i] ?? `lab${i + 1}`;
    const nodeNames = Array.from({ length: options.nodes }, (_, n) => (i === 0 ? `pve${n + 1}` : `${name}-pve${n + 1}`));
    const cluster = await startCluster({
      name,
      index: i,
      nodeNames,
      dir: join(options.state, name),
      apiPort: options.port === 0 ? 0 : options.port + i,
      nodePortBase: options.port === 0 ? 0 : options.port + 10 * (i + 1),
      spiceProxyPort: options.spicePort === 0 ? 0 : options.spicePort + i,
      syntheticGuests: options.guests,
      ticketLifetimeSeconds: options.ticketLifetime,
      clock,
      authFailureDelayMs: options.authDelayMs,
      unreachableNodeDelayMs: options.unreachableDelayMs,
      release: pveRelease(options.pveVersion),
      secrets,
      saveSecrets: save,
      spiceTls,
      guestImage,
      maxRunningGuests: i === 0 ? options.onboot : 0,
      log,
    });
    clusters.push(cluster);
  }

  const ready = {
    clusters: clusters.map((c) => c.info),
    accounts: {
      root: { userid: SEEDED.root, password: secrets.rootPassword, role: 'Administrator' },
      admin: { userid: SEEDED.admin, password: secrets.adminPassword, role: 'PVEAdmin' },
      user: {
        userid: SEEDED.user,
        password: secrets.userPassword,
        role: 'PVEVMUser',
        pool: SEEDED.userPool,
        vmids: clusters[0]?.services.model.poolMembers(SEEDED.userPool).map((g) => g.vmid) ?? [],
      },
      tfa: {
        userid: SEEDED.tfa,
        password: secrets.tfaPassword,
        role: 'PVEAuditor',
        totpSecret: secrets.tfaTotpSecret,
        recoveryKeys: secrets.tfaRecoveryKeys.filter((k) => !secrets.usedRecoveryKeys.includes(k)),
      },
      token: { tokenid: SEEDED.tokenid, secret: secrets.tokenSecret, value: `${SEEDED.tokenid}=${secrets.tokenSecret}` },
    },
    guestPassword: secrets.guestPassword,
    stateDir: options.state,
    pid: process.pid,
    startupMs: Date.now() - startedAt,
  };
  process.stdout.write(`LAB READY ${JSON.stringify(ready)}\n`);
  log(`ready in ${ready.startupMs} ms: ${clusters.map((c) => c.info.api).join(', ')}`);
}

main().catch((error: unknown) => {
  log(`lab failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
