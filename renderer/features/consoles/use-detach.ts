import type { ConsoleTarget } from '../../../shared/ipc/contract/consoles';
import { useIpc } from '../../platform/use-ipc';
import { useNotify } from '../../platform/use-notify';
import { consoleRoute } from './console-target';

/**
 * Opens a console alone in a window of its own (the bare `/console/…` route). Electron opens it; the web host
 * cannot (`opened: false`), so the page opens it itself, in the same origin, where the new tab shares its session.
 * Answers whether a window opened, so the caller closes the tab only then.
 */
export function useDetach() {
  const ipc = useIpc();
  const notify = useNotify();

  return async function detach(target: ConsoleTarget): Promise<boolean> {
    const route = consoleRoute(target);
    try {
      const { opened } = await ipc.call('app.openWindow', { route });
      if (opened) return true;
      return window.open(`${location.origin}${location.pathname}#${route}`, '_blank') !== null;
    } catch (error) {
      notify.failure('consoles.common.detachFailed', error);
      return false;
    }
  };
}
