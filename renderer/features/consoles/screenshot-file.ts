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

/** Saves the PNG through a download link: Electron and the browser both ask where (or use the downloads folder). */
export function saveScreenshot(png: Blob, title: string, at: Date): void {
  const url = URL.createObjectURL(png);
  const link = document.createElement('a');
  link.href = url;
  link.download = screenshotFileName(title, at);
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has read the blob once the click's task ran.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
