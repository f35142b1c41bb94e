import { app, BrowserWindow, dialog, nativeTheme, safeStorage } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appFolderName, appName } from '../services/config/app-identity';
import { ensurePrivateFolder } from '../services/config/private-folder';
import { createServices } from '../services/create-services';
import { createLogger } from '../services/log/logger';
import { encryptorFromSafeStorage } from '../services/secrets/encryptor';
import { seedLabProfiles } from '../services/connections/lab-profiles';
import { appOrigin, registerAppScheme, serveAppScheme } from './app-protocol';
import { applyHardening } from './hardening';
import { connectIpc } from './ipc-adapter';
import { launchEnvironment } from './launch-environment';

const here = fileURLToPath(new URL('.', import.meta.url));
const launch = launchEnvironment({ isPackaged: app.isPackaged, env: process.env, standardConfigDir: join(app.getPath('appData'), appFolderName) });
/** Set by electron-vite in development only; an installed app always loads app://. */
const devServerUrl = launch.devServerUrl;
const appOrigins = devServerUrl === undefined ? [appOrigin] : [appOrigin, new URL(devServerUrl).origin];

function isAppUrl(url: string): boolean {
  return appOrigins.some((origin) => url === origin || url.startsWith(origin + '/'));
}

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: appName,
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#18181c' : '#ffffff',
    webPreferences: {
      // Reviewed: the preload exposes only invoke/subscribe through contextBridge (electron/preload/index.ts).
      preload: join(here, '../preload/index.cjs') /* eng-disable PRELOAD_JS_CHECK */,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // A middle click must not open links in a new window either.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(devServerUrl ?? `${appOrigin}/index.html`);
  return window;
}

function focus(window: BrowserWindow | undefined): void {
  if (window === undefined) return;
  if (window.isMinimized()) window.restore();
  window.focus();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  app.on('second-instance', () => focus(BrowserWindow.getAllWindows()[0]));
  app.on('window-all-closed', () => app.quit());

  app
    .whenReady()
    .then(async () => {
      const { configDir } = launch;
      ensurePrivateFolder(configDir);
      const logger = createLogger({ file: join(configDir, 'logs', 'main.log') });
      applyHardening(isAppUrl);
      serveAppScheme(join(here, '../renderer'));
      // safeStorage is usable only after ready; the services wrap it and never import electron.
      const encryptor = encryptorFromSafeStorage(safeStorage);
      const services = await createServices({ host: 'electron', configDir, appName, appVersion: app.getVersion(), logger, encryptor });
      app.on('before-quit', () => void services.close());
      // Set by `npm start`, which runs the app against the lab cluster.
      if (launch.labReadyFile !== undefined) await seedLabProfiles(services.connections, launch.labReadyFile);
      connectIpc({
        services,
        logger,
        appOrigins,
        windows: () => BrowserWindow.getAllWindows(),
      });
      createMainWindow();
    })
    .catch((error: unknown) => {
      // Without its services the app can do nothing: say why rather than leave no window at all.
      const reason = error instanceof Error ? error.message : String(error);
      dialog.showErrorBox(
        `${appName} could not start`,
        `${reason}\n\nCheck that the configuration folder is writable and the disk is not full, then start the app again.`,
      );
      app.quit();
    });
}
