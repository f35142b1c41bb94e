import type { Sentence } from '../../../shared/text/sentence';
import type { SenderPolicy } from './router';

/** What the Electron adapter learns about the frame behind an IPC message (no Electron types here). */
export interface ElectronSender {
  webContentsId: number;
  /** Null when the frame is gone (navigated away or destroyed) before the message is handled. */
  frameUrl: string | null;
  isMainFrame: boolean;
}

/** The origin of a page address as the app compares it, or null when the address cannot be read. */
function pageOrigin(pageUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    return null;
  }
  // Custom schemes (app://) have the opaque origin "null" in URL terms: compare scheme and host.
  return url.origin === 'null' ? `${url.protocol}//${url.host}` : url.origin;
}

/** True when a page address is one of the application's own origins (also decides which windows get events). */
export function isAppPage(appOrigins: readonly string[], pageUrl: string): boolean {
  const origin = pageOrigin(pageUrl);
  return origin !== null && appOrigins.includes(origin);
}

const notFromAppWindow: Sentence = { en: 'it did not come from an application window', fr: 'elle ne vient pas d’une fenêtre de l’application' };
const fromSubFrame: Sentence = { en: 'it came from a sub-frame, not the application page', fr: 'elle vient d’un sous-cadre, pas de la page de l’application' };
const frameGone: Sentence = { en: 'its frame no longer exists', fr: 'son cadre n’existe plus' };
const unreadableFrameAddress: Sentence = { en: 'its frame has an unreadable address', fr: 'l’adresse de son cadre est illisible' };
const notFromAppPage: Sentence = { en: 'it came from a page that is not the application', fr: 'elle vient d’une page qui n’est pas l’application' };
const noLiveCredential: Sentence = {
  en: 'the connection does not hold a valid access credential for this launch',
  fr: 'la connexion ne détient pas d’identifiant d’accès valable pour ce lancement',
};

/** Accepts only the main frame of one of our own windows, showing our own origin. */
export function electronSenderPolicy(options: {
  appOrigins: readonly string[];
  isOwnWindow: (webContentsId: number) => boolean;
}): SenderPolicy<ElectronSender> {
  return (sender) => {
    if (!options.isOwnWindow(sender.webContentsId)) return notFromAppWindow;
    if (!sender.isMainFrame) return fromSubFrame;
    if (sender.frameUrl === null) return frameGone;
    const origin = pageOrigin(sender.frameUrl);
    if (origin === null) return unreadableFrameAddress;
    if (!options.appOrigins.includes(origin)) return notFromAppPage;
    return null;
  };
}

/** What the web host knows of a WebSocket connection. */
export interface WebSender {
  /** The session credential the connection holds (never the launch token, which is spent on first use). */
  credential: string;
  /** This connection's own id: tabs share the credential, not the connection. */
  connection: string;
}

/** Accepts only connections whose session credential is still live (the check compares in constant time). */
export function webSenderPolicy(isLive: (credential: string) => boolean): SenderPolicy<WebSender> {
  return (sender) => (isLive(sender.credential) ? null : noLiveCredential);
}
