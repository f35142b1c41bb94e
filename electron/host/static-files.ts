import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream';
import { rendererContentSecurityPolicy } from '../../shared/security/csp';
import { requestPath } from './request-target';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

const securityHeaders = {
  'Content-Security-Policy': rendererContentSecurityPolicy(),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Resolves a URL path inside `root`, or null when it would escape it. */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const candidate = normalize(join(root, decoded));
  return candidate === root || candidate.startsWith(root + sep) ? candidate : null;
}

/** An open renderer file, checked to be a regular file; the caller closes the handle. */
export interface RendererFile {
  handle: FileHandle;
  size: number;
  contentType: string;
}

// Opening a FIFO for reading blocks until a writer comes; non-blocking, it opens at once and fstat tells what it is.
const openFlags = constants.O_RDONLY | (process.platform === 'win32' ? 0 : constants.O_NONBLOCK);

/**
 * Opens the file a URL path names, only when its real path (symlinks
 * followed) is inside the real renderer folder and it is a regular file: no
 * link out of the folder, no FIFO or device. Shared by the web host and
 * Electron's app:// protocol. Null when the path must not be served.
 */
export async function openRendererFile(root: string, urlPath: string): Promise<RendererFile | null> {
  const lexical = resolveInside(root, urlPath);
  if (lexical === null) return null;
  const [realRoot, realFile] = await Promise.all([realpath(root), realpath(lexical).catch(() => null)]);
  if (realFile === null || !realFile.startsWith(realRoot + sep)) return null;
  const handle = await open(realFile, openFlags).catch(() => null);
  if (handle === null) return null;
  const info = await handle.stat().catch(() => null);
  if (info === null || !info.isFile()) {
    await handle.close();
    return null;
  }
  return { handle, size: info.size, contentType: contentTypes[extname(realFile)] ?? 'application/octet-stream' };
}

/** Serves the built renderer read-only; unknown paths without an extension get the app (history routing). */
export async function serveRendererFile(root: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD', ...securityHeaders }).end();
    return;
  }
  const path = requestPath(request.url);
  if (path === null || resolveInside(root, path) === null) {
    response.writeHead(400, securityHeaders).end('Bad path');
    return;
  }
  const file =
    (await openRendererFile(root, path === '/' ? '/index.html' : path)) ?? (extname(path) === '' ? await openRendererFile(root, '/index.html') : null);
  if (file === null) {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders }).end('Not found');
    return;
  }
  response.writeHead(200, {
    'Content-Type': file.contentType,
    'Content-Length': file.size,
    'Cache-Control': file.contentType.startsWith('text/html') ? 'no-store' : 'max-age=3600',
    ...securityHeaders,
  });
  if (request.method === 'HEAD' || file.size === 0) {
    await file.handle.close();
    response.end();
    return;
  }
  // Never more than announced (a file may grow after fstat), or the surplus would be read as the next response.
  // A read error or a client gone mid-way ends this response only: pipeline destroys both sides
  // instead of leaving an unhandled 'error' to stop the host.
  pipeline(file.handle.createReadStream({ end: file.size - 1 }), response, () => undefined);
}
