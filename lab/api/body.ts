import type { IncomingMessage } from 'node:http';
import { ApiError } from './errors';
import type { Args } from './params';

const MAX_BODY = 4 * 1024 * 1024;

/**
 * The call's arguments: the query, plus the body for POST and PUT (PVE merges
 * both). A GET or DELETE carrying content is refused as pve-http-server does.
 */
export async function requestArgs(request: IncomingMessage, query: URLSearchParams, method: string, streamBody: boolean): Promise<Args> {
  const args = fromSearchParams(query);
  if (method !== 'POST' && method !== 'PUT') {
    if (hasContent(request)) throw new ApiError(501, `Unexpected content for method '${method}'`);
    return args;
  }
  if (!streamBody) Object.assign(args, await readBody(request));
  return args;
}

function hasContent(request: IncomingMessage): boolean {
  return Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
}

/** Reads a form-urlencoded or JSON body into PVE's flat argument map. */
async function readBody(request: IncomingMessage): Promise<Args> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new ApiError(413, 'request entity too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ApiError(400, 'Parameter verification failed.', { body: 'invalid JSON' });
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new ApiError(400, 'Parameter verification failed.', { body: 'expected a JSON object' });
    return flatten(parsed as Record<string, unknown>);
  }
  return fromSearchParams(new URLSearchParams(text));
}

function fromSearchParams(params: URLSearchParams): Args {
  const args: Args = {};
  for (const [key, value] of params) args[key] = key in args ? `${args[key]}\0${value}` : value;
  return args;
}

function flatten(object: Record<string, unknown>): Args {
  const args: Args = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === null || value === undefined) continue;
    if (typeof value === 'boolean') args[key] = value ? '1' : '0';
    else if (Array.isArray(value)) args[key] = value.map(String).join('\0');
    else if (typeof value === 'object') args[key] = JSON.stringify(value);
    else args[key] = String(value);
  }
  return args;
}
