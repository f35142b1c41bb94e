import { app, session, type WebContents } from 'electron';
import { rendererContentSecurityPolicy } from '../../shared/security/csp';
import { openExternalIfAllowed } from './external-links';

/**
 * Rules for every web contents the app ever creates: no navigation away from
 * the app, no new windows (allowlisted links go to the system browser), no
 * <webview>, and every permission request refused.
 */
export function applyHardening(isAppUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openExternalIfAllowed(url);
      return { action: 'deny' };
    });
  });

  const ses = session.defaultSession;
  // app:// responses carry the CSP already; this also covers the dev server's responses.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [rendererContentSecurityPolicy()] },
    });
  });
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}
