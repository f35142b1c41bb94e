import { protocol } from 'electron';
import { openRendererFile } from '../host/static-files';
import { rendererContentSecurityPolicy } from '../../shared/security/csp';

/** The renderer is served from app://renderer/ in production: a real origin, unlike file://. */
export const appScheme = 'app';
export const appOrigin = `${appScheme}://renderer`;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

function notFound(): Response {
  return new Response('Not found', { status: 404 });
}

/**
 * Serves regular files from the built renderer folder only (real path
 * inside it: no symlink out, no FIFO or device), each with the app's CSP.
 */
export function serveAppScheme(rendererDir: string): void {
  protocol.handle(appScheme, async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return notFound();
    }
    if (url.host !== 'renderer') return notFound();
    const file = await openRendererFile(rendererDir, url.pathname === '/' ? '/index.html' : url.pathname);
    if (file === null) return notFound();
    try {
      const body = new Uint8Array(await file.handle.readFile());
      return new Response(body, {
        status: 200,
        headers: {
          'Content-Type': file.contentType,
          'Content-Security-Policy': rendererContentSecurityPolicy(),
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return notFound();
    } finally {
      await file.handle.close();
    }
  });
}
