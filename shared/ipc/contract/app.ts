import type { AppInfo } from '../../domain/app-info';
import { z } from 'zod';
import { method, noInput } from './method';

/** The routes a window of its own may open: a detached console (`/console/…`). */
export const detachableRouteSchema = z
  .string()
  .max(512)
  .regex(/^\/console\/[A-Za-z0-9._~%/?=&-]+$/, 'must be a console route');

export const appMethods = {
  'app.info': method<AppInfo>()(noInput),
  /**
   * Opens `route` in a window of its own (the bare layout). Answers `{ opened: false }` where the host cannot open
   * windows (the web host): the page then opens it itself with `window.open`.
   */
  'app.openWindow': method<{ opened: boolean }>()(z.object({ route: detachableRouteSchema }).strict()),
} as const;

export type AppEvents = Record<never, never>;
export const appEventNames = [] as const satisfies readonly (keyof AppEvents)[];
