import type { AppInfo } from '../../../shared/domain/app-info';
import type { MethodHandlers } from '../ipc';

export type AppHandlers = Pick<MethodHandlers, 'app.info' | 'app.openWindow'>;

/** Opens a route in a window of its own; the Electron host passes one, the web host none (its pages use window.open). */
export type WindowOpener = (route: `/${string}`) => void;

export function appHandlers(info: AppInfo, openWindow: WindowOpener | undefined): AppHandlers {
  return {
    'app.info': () => info,
    'app.openWindow': ({ route }) => {
      if (openWindow === undefined) return { opened: false };
      openWindow(route as `/${string}`);
      return { opened: true };
    },
  };
}
