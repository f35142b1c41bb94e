import { app, BrowserWindow, dialog, safeStorage, type OpenDialogOptions } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appFolderName, appName } from '../services/config';
import { bootServices, couldNotStart } from '../services/boot';
import { systemJobNotifier } from './job-notifier';
import { watchParents } from '../services/process';
import { encryptorFromSafeStorage } from '../services/secrets';
import { appOrigin, registerAppScheme, serveAppScheme } from './app-protocol';
import { createAppWindows } from './app-windows';
import { applyHardening } from './hardening';
import { connectIpc } from './ipc-adapter';
import { launchEnvironment } from './launch-environment';

const here = fileURLToPath(new URL('.', import.meta.url));
const launch = launchEnvironment({ isPackaged: app.isPackaged, env: process.env, standardConfigDir: join(app.getPath('appData'), appFolderName) });
/** Set by electron-vite in development only; an installed app always loads app://. */
const devServerUrl = launch.devServerUrl;
const appOrigins = devServerUrl === undefined ? [appOrigin] : [appOrigin, new URL(devServerUrl).origin];
const appWindows = createAppWindows({
  pageUrl: devServerUrl ?? `${appOrigin}/index.html`,
  preload: join(here, '../preload/index.cjs'),
  title: appName,
});

function isAppUrl(url: string): boolean {
  return appOrigins.some((origin) => url === origin || url.startsWith(origin + '/'));
}

function focus(window: BrowserWindow | undefined): void {
  if (window === undefined) return;
  if (window.isMinimized()) window.restore();
  window.focus();
}

/** The P2V wizard's image file, picked in the system's open dialog over the window in front. */
async function pickImageFile(): Promise<string | undefined> {
  const options: OpenDialogOptions = {
    properties: ['openFile'],
    filters: [
      { name: 'Disk images', extensions: ['img', 'raw', 'qcow2', 'vmdk', 'vhd', 'vhdx', 'vdi'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const parent = BrowserWindow.getFocusedWindow();
  const result = parent === null ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(parent, options);
  return result.canceled ? undefined : result.filePaths[0];
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  app.on('second-instance', () => focus(appWindows.windows()[0]));
  app.on('window-all-closed', () => app.quit());
  // Started by `npm start`: ends with it however it is killed, as the web host and the lab do.
  if (!app.isPackaged) watchParents(() => app.quit());

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
        // A detached console: its own window, the bare layout (the route is checked by the IPC contract).
        openWindow: (route) => void appWindows.openWindow(route, 'single-view'),
        pickImageFile,
        // Given by `npm start` only: a packaged app's launch environment never has it.
        ...(launch.labReadyFile !== undefined ? { labReadyFile: launch.labReadyFile } : {}),
      });
      const { logger } = services;
      app.on('before-quit', () => void services.close());
      connectIpc({
        services,
        logger,
        appOrigins,
        windows: appWindows.windows,
      });
      appWindows.openWindow('/');
    })
    .catch((error: unknown) => {
      // Without its services the app can do nothing: say why rather than leave no window at all.
      const { title, detail } = couldNotStart(appName, error);
      dialog.showErrorBox(title, detail);
      app.quit();
    });
}
