/**
 * Opens a link the terminal shows through the app's rule for new windows: Electron's window-open handler sends the
 * allowlisted addresses to the system browser and refuses the rest, a browser opens a tab. Only web addresses are
 * followed (an OSC 8 link may name anything), and this window never navigates away.
 */
export function openLink(uri: string): void {
  if (/^https?:\/\//i.test(uri)) window.open(uri, '_blank', 'noopener,noreferrer');
}
