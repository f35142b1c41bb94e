/**
 * The one Content-Security-Policy of the renderer, served by both hosts.
 * Scripts only from the app itself; inline styles are allowed because the UI
 * library injects its computed styles at run time; WebSockets only to
 * loopback (the IPC socket of the web host and the console relays).
 */
export function rendererContentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    // spice-html5 plays the guest's audio (and VP8 video streams) from MediaSource blob: URLs.
    'media-src blob:',
    "connect-src 'self' ws://127.0.0.1:*",
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
