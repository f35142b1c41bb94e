import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { TerminalControl } from '../../../../shared/domain/consoles';
import { pumpBetween } from '../relay/pump';

/** A terminal's far end: its bytes both ways, and how to tell it the window's size. */
export interface TerminalUpstream {
  stream: Duplex;
  resize(cols: number, rows: number): void;
}

/** The size a terminal starts with, until the viewer says its own. */
export const initialTerminalSize = { cols: 80, rows: 24 };

const terminalControlSchema: z.ZodType<TerminalControl> = z
  .object({ type: z.literal('resize'), cols: z.number().int().min(1).max(1000), rows: z.number().int().min(1).max(1000) })
  .strict();

/** Parses a viewer's text frame; throws on anything but a well-formed control message. */
export function parseTerminalControl(text: string): TerminalControl {
  return terminalControlSchema.parse(JSON.parse(text));
}

/** Pumps a terminal: binary frames are its bytes both ways, text frames the viewer's resizes (garbage closes it). */
export function relayTerminal(viewer: WebSocket, upstream: TerminalUpstream): void {
  pumpBetween(viewer, upstream.stream, {
    onText: (text) => {
      const control = parseTerminalControl(text);
      upstream.resize(control.cols, control.rows);
    },
  });
}
