import type { AppInfo, HostKind } from '../../../shared/domain/app-info';

export function describeApp(options: { name: string; version: string; host: HostKind }): AppInfo {
  return { ...options, platform: process.platform };
}
