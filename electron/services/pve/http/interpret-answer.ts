import type { z } from 'zod';
import { jsonWithoutBidiControls, withoutBidiControls } from '../../../../shared/text/bidi-controls';
import type { ApiCall } from '../api/api-call';
import { PveError, parsePermissionMessage } from '../errors';
import type { HttpAnswer } from './exchange';

const maxIssuesShown = 3;

function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, maxIssuesShown).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'data';
    return `${where}: ${issue.message}`;
  });
  const more = error.issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? ` (and ${more} more)` : '');
}

function badResponse(call: ApiCall<unknown>, endpoint: string, problem: string): PveError<'BAD_RESPONSE'> {
  return new PveError(
    'BAD_RESPONSE',
    `${endpoint} answered ${call.name} with something the app cannot read (${problem}). ` +
      'The server may run a PVE version this app does not support, or something between them altered the answer.',
    { call: call.name, problem },
  );
}

/**
 * Every string PVE sends (names, comments, task logs, error texts) is shown
 * somewhere: bidi controls are dropped here, once, before any schema sees them.
 */
function parseJson(body: string): unknown {
  try {
    return JSON.parse(jsonWithoutBidiControls(body)) as unknown;
  } catch {
    return undefined;
  }
}

/** PVE's error text: the body's `message` when present, else the status line it repeats it in. */
function serverMessage(answer: HttpAnswer, json: unknown): string {
  const message = (json as { message?: unknown } | undefined)?.message;
  const text = typeof message === 'string' && message.trim().length > 0 ? message : withoutBidiControls(answer.statusMessage);
  return text.trim().slice(0, 500);
}

function parameterErrors(json: unknown): Record<string, string> | undefined {
  const errors = (json as { errors?: unknown } | undefined)?.errors;
  if (errors === null || typeof errors !== 'object' || Array.isArray(errors)) return undefined;
  return Object.fromEntries(Object.entries(errors).map(([key, value]) => [key, String(value).trim()]));
}

/** The status codes pveproxy uses when it could not reach the node it forwards to. */
export function isProxyUnreachableStatus(status: number): boolean {
  return status === 595 || status === 596;
}

/**
 * Turns PVE's answer into the call's typed data, or into the PveError that
 * says what went wrong. Unknown extra fields are tolerated; missing or
 * mistyped documented ones are a BAD_RESPONSE naming the call.
 */
export function interpretAnswer<T>(call: ApiCall<T>, answer: HttpAnswer, endpoint: string): T {
  const json = answer.body.trim().length > 0 ? parseJson(answer.body) : undefined;
  const { status } = answer;

  if (status >= 200 && status < 300) {
    if (json === undefined) throw badResponse(call, endpoint, 'the body is not JSON');
    if (json === null || typeof json !== 'object' || !('data' in json)) {
      throw badResponse(call, endpoint, 'the body has no "data" field');
    }
    const parsed = call.data.safeParse((json as { data: unknown }).data);
    if (!parsed.success) throw badResponse(call, endpoint, describeIssues(parsed.error));
    return parsed.data;
  }

  const message = serverMessage(answer, json);
  if (status === 401) {
    throw new PveError(
      'AUTH_FAILED',
      `${endpoint} refused the credentials (${message || 'authentication failure'}). Check the user name, realm and password, the code, or the API token.`,
      { endpoint },
    );
  }
  if (status === 403) {
    const { path, privilege } = parsePermissionMessage(message);
    const what = path !== undefined && privilege !== undefined ? `the privilege ${privilege} on ${path}` : 'a privilege';
    throw new PveError('PERMISSION_DENIED', `This account lacks ${what} (${call.name}). Ask a PVE administrator to grant it, or use an account that has it.`, {
      ...(path !== undefined ? { path } : {}),
      ...(privilege !== undefined ? { privilege } : {}),
      serverMessage: message,
    });
  }
  const errors = parameterErrors(json);
  const detail =
    errors === undefined
      ? ''
      : ` ${Object.entries(errors)
          .map(([key, text]) => `${key}: ${text}`)
          .join('; ')}`;
  throw new PveError('SERVER_ERROR', `${endpoint} answered ${call.name} with error ${status}: ${message || 'no message'}.${detail}`, {
    endpoint,
    status,
    serverMessage: message,
    ...(errors !== undefined ? { errors } : {}),
  });
}
