import { BrowserWindow, nativeTheme } from 'electron';
import { windowUrl, type AppRoute } from './window-url';

/** How big a window opens: the admin tool, or a window of its own (a detached console, the end-user mode). */
export type WindowSize = 'main' | 'single-view';

const sizes: Record<WindowSize, { width: number; height: number; minWidth: number; minHeight: number }> = {
  main: { width: 1440, height: 900, minWidth: 960, minHeight: 600 },
  'single-view': { width: 1024, height: 768, minWidth: 480, minHeight: 360 },
};

/**
 * Opens the app's windows, every one with the same hardened preferences, and knows which windows
 * are ours: the IPC adapter accepts calls from these (main frame only) and sends events to them.
 */
export function createAppWindows(options: { pageUrl: string; preload: string; title: string }) {
  const open = new Set<BrowserWindow>();

  function openWindow(route: AppRoute, size: WindowSize = 'main'): BrowserWindow {
    const window = new BrowserWindow({
      ...sizes[size],
      title: options.title,
      show: false,
      backgroundColor: nativeTheme.shouldUseDarkColors ? '#18181c' : '#ffffff',
      webPreferences: {
        // Reviewed: the preload exposes only invoke/subscribe through contextBridge (electron/preload/index.ts).
        preload: options.preload /* eng-disable PRELOAD_JS_CHECK */,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
        // A middle click must not open links in a new window either.
        disableBlinkFeatures: 'Auxclick',
      },
    });
    open.add(window);
    window.once('closed', () => open.delete(window));
    window.once('ready-to-show', () => window.show());
    void window.loadURL(windowUrl(options.pageUrl, route));
    return window;
  }

  return {
    openWindow,
    /** Our windows still open, oldest first. */
    windows: (): BrowserWindow[] => [...open].filter((window) => !window.isDestroyed()),
  };
}
