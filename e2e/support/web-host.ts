import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices, type Services } from '../../electron/services/create-services';
import { createKeyFileEncryptor } from '../../electron/services/secrets';
import { createLogger } from '../../electron/services/log';
import { createLaunchToken, startWebHost, type WebHost } from '../../electron/host/web-host';
import { rendererDir } from './paths';

export interface TestHost extends WebHost {
  token: string;
  configDir: string;
  logFile: string;
  services: Services;
}

/** Tests keep their secrets under their own keychain service, never the user's. */
export const keychainService = 'pve-desk-e2e';

/** The real web host over the built renderer, with a fresh config folder of its own. */
export async function startTestHost(configDir = mkdtempSync(join(tmpdir(), 'pve-desk-e2e-'))): Promise<TestHost> {
  const logFile = join(configDir, 'logs', 'web-host.log');
  const logger = createLogger({ file: logFile, echo: false });
  const token = createLaunchToken();
  const services = await createServices({
    host: 'web',
    configDir,
    appName: 'PVE Desk',
    appVersion: '0.0.0-test',
    logger,
    encryptor: createKeyFileEncryptor({ keyFile: join(mkdtempSync(join(tmpdir(), 'pve-desk-e2e-key-')), 'secrets.key') }),
    keychainService,
  });
  const host = await startWebHost({ rendererDir, services, logger, token });
  return {
    ...host,
    token,
    configDir,
    logFile,
    services,
    close: async () => {
      await services.close();
      await host.close();
    },
  };
}
