import type { AppInfo } from '../../../shared/domain/app-info';
import type { MethodHandlers } from '../ipc';

export type AppHandlers = Pick<MethodHandlers, 'app.info'>;

export function appHandlers(info: AppInfo): AppHandlers {
  return { 'app.info': () => info };
}
