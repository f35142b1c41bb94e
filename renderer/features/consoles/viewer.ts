import type { ConsoleSession, KeyboardLayout } from '../../../shared/domain/consoles';

/** How a display console fits the tab: scaled to fit, 1:1 with scroll bars, or the guest's resolution follows the tab. */
export type ScalingMode = 'fit' | 'actual' | 'remote';

/** A key combination the console menu sends: X11 keysyms pressed in order, released in reverse. */
export interface KeyCombination {
  id: string;
  keysyms: number[];
  /** The same keys' KeyboardEvent `code`s (`ControlLeft`, `F1`…), one per keysym, for viewers that send scancodes. */
  codes?: string[];
}

/** Why a viewer is not connected, from the relay's close code or the viewer's own failure. */
export type ViewerFailure =
  | { kind: 'token-refused' }
  | { kind: 'unreachable' }
  | { kind: 'certificate' }
  | { kind: 'auth-failed' }
  | { kind: 'dropped' }
  | { kind: 'protocol'; detail: string };

/** What the console tab drives, whichever viewer (VNC, SPICE, terminal) is inside. Optional parts are absent where a viewer has no such thing. */
export interface ConsoleViewer {
  /** Connects to the session's relay URL (spent on connect). */
  connect(session: ConsoleSession): void;
  disconnect(): void;
  focus(): void;
  sendKeys?(combination: KeyCombination): void;
  setScaling?(mode: ScalingMode): void;
  setViewOnly?(viewOnly: boolean): void;
  /** A PNG of the current screen. */
  screenshot?(): Promise<Blob>;
  /** Sends text to the guest's clipboard (VNC cut-text, SPICE agent); false when the guest cannot take it. */
  pasteToGuest?(text: string): boolean;
  /** Types text as key strokes for `layout`; answers the characters the layout cannot produce (skipped). */
  typeText?(text: string, layout: KeyboardLayout): Promise<{ skipped: string[] }>;
}

/** The events every viewer component emits. */
export interface ViewerEvents {
  connected: [];
  disconnected: [failure: ViewerFailure];
  /** Text the guest put on its clipboard (VNC cut-text, SPICE agent clipboard). */
  guestClipboard: [text: string];
}
