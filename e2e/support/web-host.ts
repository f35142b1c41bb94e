import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices } from '../../electron/services/create-services';
import { createLogger } from '../../electron/services/log/logger';
import { createLaunchToken, startWebHost, type WebHost } from '../../electron/host/web-host';
import { rendererDir } from './paths';

export interface TestHost extends WebHost {
  token: string;
  configDir: string;
  logFile: string;
}

/** The real web host over the built renderer, with a fresh config folder of its own. */
export async function startTestHost(configDir = mkdtempSync(join(tmpdir(), 'pve-desk-e2e-'))): Promise<TestHost> {
  const logFile = join(configDir, 'logs', 'web-host.log');
  const logger = createLogger({ file: logFile, echo: false });
  const token = createLaunchToken();
  const host = await startWebHost({
    rendererDir,
    services: createServices({ host: 'web', configDir, appName: 'PVE Desk', appVersion: '0.0.0-test', logger }),
    logger,
    token,
  });
  return { ...host, token, configDir, logFile };
}
