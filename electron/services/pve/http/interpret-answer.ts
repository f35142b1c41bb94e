import type { z } from 'zod';
import { jsonWithoutBidiControls, withoutBidiControls } from '../../../../shared/text/bidi-controls';
import type { Sentence } from '../../../../shared/text/sentence';
import type { ApiCall } from '../api/api-call';
import { missingPrivilege, PveError, parsePermissionMessage } from '../errors';
import type { HttpAnswer } from './exchange';

const maxIssuesShown = 3;

/** The schema's complaints, as zod words them (in English in both languages: they name fields and types). */
function describeIssues(error: z.ZodError): Sentence {
  const shown = error.issues
    .slice(0, maxIssuesShown)
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : 'data';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
  const more = error.issues.length - maxIssuesShown;
  return more > 0 ? { en: `${shown} (and ${more} more)`, fr: `${shown} (et ${more} de plus)` } : { en: shown, fr: shown };
}

/** `problem`'s English is also the error's `problem` detail. */
function badResponse(call: ApiCall<unknown>, endpoint: string, problem: Sentence): PveError<'BAD_RESPONSE'> {
  return new PveError(
    'BAD_RESPONSE',
    {
      en:
        `${endpoint} answered ${call.name} with something the app cannot read (${problem.en}). ` +
        'The server may run a PVE version this app does not support, or something between them altered the answer.',
      fr:
        `${endpoint} a répondu à ${call.name} par des données que l’application ne sait pas lire (${problem.fr}). ` +
        'Le serveur utilise peut-être une version de PVE que cette application ne prend pas en charge, ou un intermédiaire a modifié la réponse.',
    },
    { call: call.name, problem: problem.en },
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
    if (json === undefined) throw badResponse(call, endpoint, { en: 'the body is not JSON', fr: 'le corps de la réponse n’est pas du JSON' });
    if (json === null || typeof json !== 'object' || !('data' in json)) {
      throw badResponse(call, endpoint, { en: 'the body has no "data" field', fr: 'le corps de la réponse n’a pas de champ « data »' });
    }
    const parsed = call.data.safeParse((json as { data: unknown }).data);
    if (!parsed.success) throw badResponse(call, endpoint, describeIssues(parsed.error));
    return parsed.data;
  }

  const message = serverMessage(answer, json);
  if (status === 401) {
    throw new PveError(
      'AUTH_FAILED',
      {
        en: `${endpoint} refused the credentials (${message || 'authentication failure'}). Check the user name, realm and password, the code, or the API token.`,
        fr: `${endpoint} a refusé les identifiants (${message || 'échec de l’authentification'}). Vérifiez le nom d’utilisateur, le domaine et le mot de passe, le code, ou le jeton d’API.`,
      },
      { endpoint },
    );
  }
  if (status === 403) {
    const { path, privilege } = parsePermissionMessage(message);
    const what = missingPrivilege(path, privilege);
    throw new PveError(
      'PERMISSION_DENIED',
      {
        en: `This account lacks ${what.en} (${call.name}). Ask a PVE administrator to grant it, or use an account that has it.`,
        fr: `Il manque à ce compte ${what.fr} (${call.name}). Demandez à un administrateur PVE de le lui accorder, ou utilisez un compte qui le possède.`,
      },
      {
        ...(path !== undefined ? { path } : {}),
        ...(privilege !== undefined ? { privilege } : {}),
        serverMessage: message,
      },
    );
  }
  const errors = parameterErrors(json);
  const detail =
    errors === undefined
      ? ''
      : ` ${Object.entries(errors)
          .map(([key, text]) => `${key}: ${text}`)
          .join('; ')}`;
  throw new PveError(
    'SERVER_ERROR',
    {
      en: `${endpoint} answered ${call.name} with error ${status}: ${message || 'no message'}.${detail}`,
      fr: `${endpoint} a répondu à ${call.name} par l’erreur ${status} : ${message || 'aucun message'}.${detail}`,
    },
    { endpoint, status, serverMessage: message, ...(errors !== undefined ? { errors } : {}) },
  );
}
