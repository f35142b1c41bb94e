import { z } from 'zod';
import type { AppInfo } from '../domain/app-info';
import { settingsPatchSchema, type Settings } from '../domain/settings';

/**
 * The IPC contract: every method the renderer may call, with the zod schema
 * its input must pass and the type of its result. The router refuses any
 * method not listed here, and parses every input before a service runs.
 */
export interface MethodSpec<Input extends z.ZodType, Result> {
  input: Input;
  /** Type-level only: carries the result type, never set at run time. */
  readonly result?: Result;
}

function method<Result>() {
  return <Input extends z.ZodType>(input: Input): MethodSpec<Input, Result> => ({ input });
}

const noInput = z.object({}).strict();

export const ipcMethods = {
  'app.info': method<AppInfo>()(noInput),
  'settings.get': method<Settings>()(noInput),
  'settings.update': method<Settings>()(settingsPatchSchema),
} as const;

export type IpcMethods = typeof ipcMethods;
export type MethodName = keyof IpcMethods;
/** What the caller passes (before defaults and transforms). */
export type MethodInput<M extends MethodName> = z.input<IpcMethods[M]['input']>;
/** What the service receives (after parsing). */
export type ParsedInput<M extends MethodName> = z.output<IpcMethods[M]['input']>;
export type MethodResult<M extends MethodName> = NonNullable<IpcMethods[M]['result']>;

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.hasOwn(ipcMethods, value);
}

/** Server-push events and their payloads. */
export interface IpcEvents {
  'settings.changed': Settings;
}

export type EventName = keyof IpcEvents;

export const ipcEventNames: readonly EventName[] = ['settings.changed'];

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (ipcEventNames as readonly string[]).includes(value);
}
