import { app, BrowserWindow, dialog, nativeTheme, safeStorage } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appFolderName, appName } from '../services/config/app-identity';
import { bootServices, couldNotStart } from '../services/boot';
import { systemJobNotifier } from './job-notifier';
import { encryptorFromSafeStorage } from '../services/secrets/encryptor';
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
      applyHardening(isAppUrl);
      serveAppScheme(join(here, '../renderer'));
      const services = await bootServices({
        host: 'electron',
        configDir: launch.configDir,
        logFileName: 'main.log',
        appName,
        appVersion: app.getVersion(),
        // safeStorage is usable only after ready; the services wrap it and never import electron.
        encryptor: encryptorFromSafeStorage(safeStorage),
        jobNotifier: systemJobNotifier(() => app.getLocale()),
        // Given by `npm start` only: a packaged app's launch environment never has it.
        ...(launch.labReadyFile !== undefined ? { labReadyFile: launch.labReadyFile } : {}),
      });
      const { logger } = services;
      app.on('before-quit', () => void services.close());
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
      const { title, detail } = couldNotStart(appName, error);
      dialog.showErrorBox(title, detail);
      app.quit();
    });
}
