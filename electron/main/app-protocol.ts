import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { resolveInside } from '../host/static-files';
import { rendererContentSecurityPolicy } from '../../shared/security/csp';

/** The renderer is served from app://renderer/ in production: a real origin, unlike file://. */
export const appScheme = 'app';
export const appOrigin = `${appScheme}://renderer`;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves files from the built renderer folder only, each with the app's CSP. */
export function serveAppScheme(rendererDir: string): void {
  protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'renderer' ? resolveInside(rendererDir, url.pathname === '/' ? '/index.html' : url.pathname) : null;
    if (file === null) return new Response('Not found', { status: 404 });
    const upstream = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(upstream.headers);
    headers.set('Content-Security-Policy', rendererContentSecurityPolicy());
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(upstream.body, { status: upstream.status, headers });
  });
}
