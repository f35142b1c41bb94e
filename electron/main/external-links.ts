import { shell } from 'electron';

/** The only places a link in the app may open, in the user's browser. */
const allowedExternalPrefixes = ['https://pve.proxmox.com/', 'https://www.proxmox.com/', 'https://forum.proxmox.com/'];

export function isAllowedExternalUrl(url: string): boolean {
  return allowedExternalPrefixes.some((prefix) => url.startsWith(prefix));
}

export function openExternalIfAllowed(url: string): void {
  // Reviewed: only https URLs under the allowlisted prefixes above ever reach the system browser.
  if (isAllowedExternalUrl(url)) void shell.openExternal(url); /* eng-disable OPEN_EXTERNAL_JS_CHECK */
}
