import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { appName, defaultConfigDir, defaultDataDir } from '../services/config';
import { bootServices, couldNotStart } from '../services/boot';
import { createKeyFileEncryptor } from '../services/secrets';
import { watchParents } from '../services/process';
import { createLaunchToken, startWebHost } from './web-host';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'config-dir': { type: 'string' },
    'renderer-dir': { type: 'string', default: join(repoRoot, 'out/renderer') },
  },
});

async function main(): Promise<void> {
  const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  const services = await bootServices({
    host: 'web',
    configDir: values['config-dir'] ?? defaultConfigDir(),
    logFileName: 'web-host.log',
    echoLog: false,
    appName,
    appVersion: version,
    // The key stays out of the config folder, so a copied config folder alone decrypts nothing.
    encryptor: createKeyFileEncryptor({ keyFile: join(defaultDataDir(), 'secrets.key') }),
    // Set by `npm start`, which runs the app against the lab cluster.
    ...(process.env.PVE_DESK_LAB_READY ? { labReadyFile: process.env.PVE_DESK_LAB_READY } : {}),
  });
  const { logger } = services;
  const host = await startWebHost({
    rendererDir: resolve(values['renderer-dir']),
    services,
    logger,
    token: createLaunchToken(),
    port: Number(values.port),
  });
  // The launch URL carries the token: it goes to the terminal for the user, never to the log.
  process.stdout.write(`${appName} is running at ${host.launchUrl}  (open it in one browser tab: it works once; Ctrl+C stops)\n`);

  const stop = (): void => {
    void Promise.allSettled([host.close(), services.close()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Killed `npm start` (even by SIGKILL) must not leave the host running with parent 1.
  watchParents(stop);
}

main().catch((error: unknown) => {
  // One line that says what failed and what to try, not a stack trace.
  const { title, detail } = couldNotStart(appName, error);
  process.stderr.write(`${title}: ${detail}\n`);
  process.exit(1);
});
