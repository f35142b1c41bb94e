import { join } from 'node:path';
import { ensurePrivateFolder } from './config';
import { seedLabProfiles } from './connections';
import { createServices, type ServiceOptions, type Services } from './create-services';
import { createLogger, type Logger } from './log';

export interface BootOptions extends Omit<ServiceOptions, 'logger'> {
  /** The log file's name in `<config>/logs/`: one per host, so both can run side by side. */
  logFileName: string;
  /** Also write log lines to stderr (Electron's terminal); the web host keeps its terminal for the launch URL. */
  echoLog?: boolean;
  /**
   * The lab's LAB READY file, given only by `npm start` (Electron's launch
   * environment drops it in a packaged app): its clusters become ready profiles.
   */
  labReadyFile?: string;
}

export interface BootedServices extends Services {
  logger: Logger;
}

/** What both hosts do before they can serve a window: a private config folder, its log, the services, the lab's profiles. */
export async function bootServices(options: BootOptions): Promise<BootedServices> {
  const { logFileName, echoLog, labReadyFile, ...serviceOptions } = options;
  ensurePrivateFolder(options.configDir);
  const logger = createLogger({ file: join(options.configDir, 'logs', logFileName), ...(echoLog !== undefined ? { echo: echoLog } : {}) });
  const services = await createServices({ ...serviceOptions, logger });
  if (labReadyFile !== undefined) {
    const seeded = await seedLabProfiles(services.connections, labReadyFile);
    if (seeded.length > 0) logger.info('boot.lab-profiles-seeded', { profiles: seeded.join(',') });
  }
  return { ...services, logger };
}

/** What a host tells the user when the services could not start: a title, and what failed and what to try. */
export function couldNotStart(appName: string, error: unknown): { title: string; detail: string } {
  // The reason is someone else's sentence: drop its full stop, ours follows.
  const reason = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
  return {
    title: `${appName} could not start`,
    detail: `${reason}. Check that the configuration folder is writable and the disk is not full, then start the app again.`,
  };
}
