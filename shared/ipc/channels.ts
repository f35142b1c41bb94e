/** The two Electron IPC channels: every call goes through one, every push through the other. */
export const ipcChannels = {
  invoke: 'pve-desk:invoke',
  event: 'pve-desk:event',
} as const;
