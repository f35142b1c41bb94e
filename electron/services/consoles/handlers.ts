import type { MethodHandlers } from '../ipc';
import type { ConsolesService } from './consoles-service';

export type ConsolesHandlers = Pick<MethodHandlers, 'consoles.open' | 'consoles.openRemoteViewer'>;

export function consolesHandlers(consoles: ConsolesService): ConsolesHandlers {
  return {
    'consoles.open': (target, { caller }) => consoles.open(target, caller),
    'consoles.openRemoteViewer': (target) => consoles.openRemoteViewer(target),
  };
}
