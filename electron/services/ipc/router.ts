import type { z } from 'zod';
import { ipcMethods, isMethodName, type MethodName, type MethodResult, type ParsedInput } from '../../../shared/ipc/contract';
import { IpcError, type IpcEnvelope } from '../../../shared/ipc/errors';
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

/** Says why a sender is refused, or null when it may call. */
export type SenderPolicy<Sender> = (sender: Sender) => string | null;

export interface IpcRouter<Sender> {
  handle(sender: Sender, method: unknown, input: unknown): Promise<IpcEnvelope>;
}

const maxIssuesShown = 3;

function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, maxIssuesShown).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'input';
    return `${where}: ${issue.message}`;
  });
  const more = error.issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? ` (and ${more} more)` : '');
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
      logger.warn('ipc.sender-refused', { reason: refusal, method: printable(method) });
      throw new IpcError('BAD_SENDER', `Request refused: ${refusal}.`);
    }
    if (!isMethodName(method)) {
      throw new IpcError('UNKNOWN_METHOD', `There is no method named "${printable(method)}".`);
    }
    const parsed = ipcMethods[method].input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      throw new IpcError('BAD_INPUT', `Invalid input for ${method}: ${describeIssues(parsed.error)}.`);
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
