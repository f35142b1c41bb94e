import type { AppInfo } from '../../domain/app-info';
import { method, noInput } from './method';

export const appMethods = {
  'app.info': method<AppInfo>()(noInput),
} as const;

export type AppEvents = Record<never, never>;
export const appEventNames = [] as const satisfies readonly (keyof AppEvents)[];
