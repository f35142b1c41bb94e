import type { z } from 'zod';
import { ipcMethods, isMethodName, type MethodName, type MethodResult, type ParsedInput } from '../../../shared/ipc/contract';
import { IpcError, type IpcEnvelope } from '../../../shared/ipc/errors';
import type { Sentence } from '../../../shared/text/sentence';
import type { Logger } from '../log';
import { toErrorPayload } from './error-payload';

/** Who made a call, for the few services that bind what they hand out to the caller (a console's relay URL). */
export interface CallContext {
  /** The calling window: stable while it lives, never shared by two windows (an Electron webContents, a web host connection). */
  caller: string;
}

export type MethodHandlers = {
  [M in MethodName]: (input: ParsedInput<M>, context: CallContext) => Promise<MethodResult<M>> | MethodResult<M>;
};

/** Says why a sender is refused (a clause: "it …"), or null when it may call. */
export type SenderPolicy<Sender> = (sender: Sender) => Sentence | null;

export interface IpcRouter<Sender> {
  handle(sender: Sender, method: unknown, input: unknown): Promise<IpcEnvelope>;
}

const maxIssuesShown = 3;

/** zod's issues, quoted as they are in both languages. */
function describeIssues(error: z.ZodError): Sentence {
  const shown = error.issues.slice(0, maxIssuesShown);
  const path = (issue: z.ZodIssue): string | undefined => (issue.path.length > 0 ? issue.path.join('.') : undefined);
  const more = error.issues.length - shown.length;
  return {
    en: shown.map((issue) => `${path(issue) ?? 'input'}: ${issue.message}`).join('; ') + (more > 0 ? ` (and ${more} more)` : ''),
    fr: shown.map((issue) => `${path(issue) ?? 'données'} : ${issue.message}`).join(' ; ') + (more > 0 ? ` (et ${more} de plus)` : ''),
  };
}

function printable(value: unknown): string {
  // Method names come from the other side of the boundary: never echo them raw.
  return String(value)
    .replace(/[^\w.-]/g, '?')
    .slice(0, 60);
}

/**
 * The one router both hosts share: check the sender, parse the input with the
 * method's schema, then call the service. Whatever goes wrong comes back as
 * `{ code, message }` through the one mapping of `toErrorPayload`.
 */
export function createIpcRouter<Sender>(options: {
  handlers: MethodHandlers;
  senderPolicy: SenderPolicy<Sender>;
  /** The calling window of an admitted sender. */
  callerOf: (sender: Sender) => string;
  logger: Logger;
}): IpcRouter<Sender> {
  const { handlers, senderPolicy, callerOf, logger } = options;

  async function dispatch(sender: Sender, method: unknown, rawInput: unknown): Promise<unknown> {
    const refusal = senderPolicy(sender);
    if (refusal !== null) {
      logger.warn('ipc.sender-refused', { reason: refusal.en, method: printable(method) });
      throw new IpcError('BAD_SENDER', { en: `Request refused: ${refusal.en}.`, fr: `Demande refusée : ${refusal.fr}.` });
    }
    if (!isMethodName(method)) {
      throw new IpcError('UNKNOWN_METHOD', {
        en: `There is no method named "${printable(method)}".`,
        fr: `Il n’existe aucune méthode nommée « ${printable(method)} ».`,
      });
    }
    const parsed = ipcMethods[method].input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const issues = describeIssues(parsed.error);
      throw new IpcError('BAD_INPUT', { en: `Invalid input for ${method}: ${issues.en}.`, fr: `Données invalides pour ${method} : ${issues.fr}.` });
    }
    const handler = handlers[method] as (input: unknown, context: CallContext) => unknown;
    return await handler(parsed.data, { caller: callerOf(sender) });
  }

  return {
    async handle(sender, method, input) {
      try {
        return { ok: true, result: await dispatch(sender, method, input) };
      } catch (error) {
        return { ok: false, error: toErrorPayload(error, { method: printable(method), logger }) };
      }
    },
  };
}
