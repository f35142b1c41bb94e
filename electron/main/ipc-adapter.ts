import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { ipcChannels } from '../../shared/ipc/channels';
import type { Services } from '../services/create-services';
import { createIpcRouter } from '../services/ipc/router';
import { electronSenderPolicy, type ElectronSender } from '../services/ipc/sender-policies';
import type { Logger } from '../services/log/logger';

function describeSender(event: IpcMainInvokeEvent): ElectronSender {
  const frame = event.senderFrame;
  return {
    webContentsId: event.sender.id,
    frameUrl: frame?.url ?? null,
    isMainFrame: frame !== null && frame.parent === null,
  };
}

/** Connects Electron's IPC to the shared router and forwards service events to our windows. */
export function connectIpc(options: {
  services: Services;
  logger: Logger;
  appOrigins: readonly string[];
  windows: () => readonly BrowserWindow[];
}): void {
  const { services, logger, appOrigins, windows } = options;
  const router = createIpcRouter<ElectronSender>({
    handlers: services.handlers,
    logger,
    senderPolicy: electronSenderPolicy({
      appOrigins,
      isOwnWindow: (id) => windows().some((window) => window.webContents.id === id),
    }),
  });
  ipcMain.handle(ipcChannels.invoke, (event, method: unknown, input: unknown) =>
    router.handle(describeSender(event), method, input),
  );
  services.events.attach((name, payload) => {
    for (const window of windows()) window.webContents.send(ipcChannels.event, name, payload);
  });
}
