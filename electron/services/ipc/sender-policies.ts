import { timingSafeEqual } from 'node:crypto';
import type { SenderPolicy } from './router';

/** What the Electron adapter learns about the frame behind an IPC message (no Electron types here). */
export interface ElectronSender {
  webContentsId: number;
  /** Null when the frame is gone (navigated away or destroyed) before the message is handled. */
  frameUrl: string | null;
  isMainFrame: boolean;
}

/** Accepts only the main frame of one of our own windows, showing our own origin. */
export function electronSenderPolicy(options: {
  appOrigins: readonly string[];
  isOwnWindow: (webContentsId: number) => boolean;
}): SenderPolicy<ElectronSender> {
  return (sender) => {
    if (!options.isOwnWindow(sender.webContentsId)) return 'it did not come from an application window';
    if (!sender.isMainFrame) return 'it came from a sub-frame, not the application page';
    if (sender.frameUrl === null) return 'its frame no longer exists';
    let url: URL;
    try {
      url = new URL(sender.frameUrl);
    } catch {
      return 'its frame has an unreadable address';
    }
    // Custom schemes (app://) have the opaque origin "null" in URL terms: compare scheme and host.
    const effectiveOrigin = url.origin === 'null' ? `${url.protocol}//${url.host}` : url.origin;
    if (!options.appOrigins.includes(effectiveOrigin)) return 'it came from a page that is not the application';
    return null;
  };
}

/** What the web host knows of a WebSocket connection. */
export interface WebSender {
  /** The token the connection presented during the handshake. */
  token: string;
}

/** Accepts only connections that presented this launch's token (compared in constant time). */
export function webSenderPolicy(launchToken: string): SenderPolicy<WebSender> {
  const expected = Buffer.from(launchToken, 'utf8');
  return (sender) => {
    const presented = Buffer.from(sender.token, 'utf8');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      return 'the connection did not present this launch’s access token';
    }
    return null;
  };
}
