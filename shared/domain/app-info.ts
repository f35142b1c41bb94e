/** Which process hosts the services: the Electron main process or the loopback web host. */
export type HostKind = 'electron' | 'web';

export interface AppInfo {
  name: string;
  version: string;
  host: HostKind;
  platform: string;
}
