import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { ipcChannels } from '../../shared/ipc/channels';
import { IpcError, type IpcEnvelope } from '../../shared/ipc/errors';
import type { Services } from '../services/create-services';
import { defaultMaxCallsInFlight, InFlightLimit, createIpcRouter, electronSenderPolicy, isAppPage, type ElectronSender } from '../services/ipc';
import type { Logger } from '../services/log';

function describeSender(event: IpcMainInvokeEvent): ElectronSender {
  // Reading a frame that was disposed meanwhile throws: that sender is simply gone.
  try {
    const frame = event.senderFrame;
    return { webContentsId: event.sender.id, frameUrl: frame?.url ?? null, isMainFrame: frame !== null && frame.parent === null };
  } catch {
    return { webContentsId: event.sender.id, frameUrl: null, isMainFrame: false };
  }
}

/**
 * Connects Electron's IPC to the shared router and forwards service events
 * to our windows. Calls are capped per window; nothing a page sends can
 * make the handler throw into Electron.
 */
export function connectIpc(options: { services: Services; logger: Logger; appOrigins: readonly string[]; windows: () => readonly BrowserWindow[] }): void {
  const { services, logger, appOrigins, windows } = options;
  const router = createIpcRouter<ElectronSender>({
    handlers: services.handlers,
    logger,
    callerOf: (sender) => `window-${sender.webContentsId}`,
    senderPolicy: electronSenderPolicy({
      appOrigins,
      isOwnWindow: (id) => windows().some((window) => window.webContents.id === id),
    }),
  });
  const inFlight = new InFlightLimit<number>(defaultMaxCallsInFlight);
  ipcMain.handle(ipcChannels.invoke, async (event, method: unknown, input: unknown): Promise<IpcEnvelope> => {
    try {
      return await inFlight.run(event.sender.id, () => router.handle(describeSender(event), method, input));
    } catch (error) {
      logger.error('ipc.adapter-failed', { error });
      const internal = new IpcError('INTERNAL', {
        en: 'The call failed unexpectedly; the application log has the details.',
        fr: 'L’appel a échoué de façon inattendue ; le journal de l’application contient les détails.',
      });
      return { ok: false, error: internal.toPayload() };
    }
  });
  services.events.attach((name, payload) => {
    for (const window of windows()) {
      // Only a live window showing our own page gets events: never a page it was navigated to.
      if (window.isDestroyed() || !isAppPage(appOrigins, window.webContents.getURL())) continue;
      try {
        window.webContents.send(ipcChannels.event, name, payload);
      } catch (error) {
        logger.error('ipc.event-not-sent', { event: name, error });
      }
    }
  });
}
