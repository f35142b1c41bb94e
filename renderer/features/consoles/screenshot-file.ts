import { saveBlob } from '../../platform/save-file';

/** The screenshot's file name: `pve-desk-<console title>-<local time>.png`, with only characters every file system takes. */
export function screenshotFileName(title: string, at: Date): string {
  const name = title
    .normalize('NFKD')
    // Accents apart from their letters, then dropped: `élan` gives `elan`.
    .replace(/\p{M}+/gu, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const pad = (value: number) => String(value).padStart(2, '0');
  const time = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`;
  return `pve-desk-${name === '' ? 'console' : name}-${time}.png`;
}

/** Saves the PNG as a download named after the console and the time. */
export function saveScreenshot(png: Blob, title: string, at: Date): void {
  saveBlob(png, screenshotFileName(title, at));
}
