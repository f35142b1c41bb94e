import type { z } from 'zod';
import { appEventNames, appMethods, type AppEvents } from './app';
import { consolesMethods } from './consoles';
import { connectionsEventNames, connectionsMethods, type ConnectionsEvents } from './connections';
import { inventoryEventNames, inventoryMethods, type InventoryEvents } from './inventory';
import { jobsEventNames, jobsMethods, type JobsEvents } from './jobs';
import { operationsMethods } from './operations';
import { p2vEventNames, p2vMethods, type P2vEvents } from './p2v';
import { settingsEventNames, settingsMethods, type SettingsEvents } from './settings';

export type { MethodSpec } from './method';

/**
 * The IPC contract: the methods and events of every feature, each declared in
 * its own file of this folder (`<feature>.ts`) and merged here, one line per
 * feature in each list below.
 */
export const ipcMethods = {
  ...appMethods,
  ...settingsMethods,
  ...connectionsMethods,
  ...jobsMethods,
  ...inventoryMethods,
  ...operationsMethods,
  ...consolesMethods,
  ...p2vMethods,
} as const;

/** Server-push events and their payloads. */
export interface IpcEvents extends AppEvents, SettingsEvents, ConnectionsEvents, JobsEvents, InventoryEvents, P2vEvents {}

export const ipcEventNames: readonly EventName[] = [
  ...appEventNames,
  ...settingsEventNames,
  ...connectionsEventNames,
  ...jobsEventNames,
  ...inventoryEventNames,
  ...p2vEventNames,
];

export type IpcMethods = typeof ipcMethods;
export type MethodName = keyof IpcMethods;
/** What the caller passes (before defaults and transforms). */
export type MethodInput<M extends MethodName> = z.input<IpcMethods[M]['input']>;
/** What the service receives (after parsing). */
export type ParsedInput<M extends MethodName> = z.output<IpcMethods[M]['input']>;
/** `result` is optional only to carry the type: undefined is dropped, a result that may be null keeps its null. */
export type MethodResult<M extends MethodName> = Exclude<IpcMethods[M]['result'], undefined>;

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.hasOwn(ipcMethods, value);
}

export type EventName = keyof IpcEvents;

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (ipcEventNames as readonly string[]).includes(value);
}
