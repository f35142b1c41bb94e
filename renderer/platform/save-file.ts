/** Saves data as a download named `fileName` through a Blob link: Electron and the browser both ask where (or use the downloads folder). */
export function saveBlob(data: Blob, fileName: string): void {
  const url = URL.createObjectURL(data);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has read the blob once the click's task ran.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
