import { Constants } from '@spice-project/spice-html5/src/enums.js';
import type { SpiceConn } from '@spice-project/spice-html5/src/spiceconn.js';
import { SpiceMiniData } from '@spice-project/spice-html5/src/spicemsg.js';
import type { ConsoleSession } from '../../../../shared/domain/consoles';
import { ViewerMainConn } from './spice-channels';
import type { SpiceEnd } from './spice-failure';
import { keyPayload, mouseButtonPayload, mouseMotionPayload, mousePositionPayload } from './input-messages';
import { spiceKeyCodes } from './scancodes';
import { registerRelayProtocols } from './spice-websocket';

/**
 * One SPICE session through the relay, wrapping spice-html5: what SpiceViewer.vue drives and hears. spice-html5 keeps
 * the protocol (link, channels, display decoding, cursor, audio); this adds what a tab needs: the window proof on
 * every socket, one end report from the relay's close codes, keys by physical key, pointer input in guest pixels,
 * the agent clipboard and the guest resize.
 */

export interface SpiceClientEvents {
  connected(): void;
  /** Once, when the session ends without `disconnect()`. */
  ended(end: SpiceEnd): void;
  agent(connected: boolean): void;
  guestClipboard(text: string): void;
  /** The guest's screen canvas, once drawn and whenever it is replaced (undefined while there is none). */
  screen(canvas: HTMLCanvasElement | undefined): void;
}

/** A mouse button as SPICE numbers it: 1 left, 2 middle, 3 right, 4 wheel up, 5 wheel down. */
export type SpiceButton = 1 | 2 | 3 | 4 | 5;

export interface SpiceClient {
  /** Presses or releases a physical key (a KeyboardEvent `code`); false when the key has no scancode or inputs are not ready. */
  sendKey(code: string, down: boolean): boolean;
  /** The pointer at guest pixel (x, y) with these buttons held (SPICE button mask: 1 left, 2 middle, 4 right). */
  movePointer(x: number, y: number, buttons: number): void;
  pressButton(button: SpiceButton, down: boolean, buttons: number): void;
  /** Puts text on the guest clipboard through its agent; false without an agent or with clipboard sharing off. */
  pasteToGuest(text: string): boolean;
  /** Asks the guest's agent for this display size (monitors config); false without an agent. */
  resizeGuest(width: number, height: number): boolean;
  disconnect(): void;
}

export type CreateSpiceClient = (session: ConsoleSession, screen: HTMLElement, events: SpiceClientEvents) => SpiceClient;

let screenCount = 0;

function sendInput(inputs: SpiceConn | undefined, type: number, payload: ArrayBuffer): boolean {
  if (inputs?.state !== 'ready') return false;
  const message = new SpiceMiniData();
  message.type = type;
  message.data = payload;
  message.size = payload.byteLength;
  inputs.send_msg(message);
  return true;
}

export const createSpiceClient: CreateSpiceClient = (session, screen, events) => {
  // spice-html5 finds its screen (cursor, audio, video streams) by element id: one id per viewer.
  screen.id ||= `spice-screen-${++screenCount}`;
  const unregister = registerRelayProtocols(session.url, session.protocols);
  let ending = false;
  /** Last reported pointer position, for relative motion when the guest has no absolute pointer. */
  let pointer: { x: number; y: number } | undefined;

  const end = (report: SpiceEnd) => {
    if (ending) return;
    ending = true;
    main.stop();
    unregister();
    events.ended(report);
  };

  const main = new ViewerMainConn(
    {
      uri: session.url,
      // The relay writes the real ticket into the link stage: the viewer has no password to give.
      password: '',
      screen_id: screen.id,
      onsuccess: () => events.connected(),
      onerror: (error) => channelError(main, error),
    },
    {
      audio: session.audio === true,
      clipboardSharing: session.clipboardSharing,
      watch: (connection) => {
        const socket = connection.ws;
        if (socket === undefined) return;
        socket.addEventListener('close', (event) => end({ kind: 'closed', code: event.code, reason: event.reason }));
      },
      channelError: (connection, error) => channelError(connection, error),
      primarySurface: (canvas) => events.screen(canvas),
      agent: (connected) => events.agent(connected),
      guestClipboard: (text) => events.guestClipboard(text),
    },
  );

  /** A socket that closed reports through its close event (it carries the relay's code); anything else ends the session here. */
  function channelError(connection: SpiceConn, error: Error | Event): void {
    const socket = connection.ws;
    if (socket === undefined || socket.readyState === WebSocket.CLOSING || socket.readyState === WebSocket.CLOSED) return;
    end({ kind: 'error', message: error instanceof Error ? error.message : 'WebSocket error' });
  }

  return {
    sendKey(code, down) {
      const codes = spiceKeyCodes(code);
      if (codes === undefined) return false;
      const scancode = down ? codes.down : codes.up;
      return sendInput(main.inputs, down ? Constants.SPICE_MSGC_INPUTS_KEY_DOWN : Constants.SPICE_MSGC_INPUTS_KEY_UP, keyPayload(scancode));
    },
    movePointer(x, y, buttons) {
      const inputs = main.inputs;
      if (inputs === undefined) return;
      if (main.mouse_mode === Constants.SPICE_MOUSE_MODE_CLIENT) {
        sendInput(inputs, Constants.SPICE_MSGC_INPUTS_MOUSE_POSITION, mousePositionPayload(x, y, buttons));
      } else if (inputs.waiting_for_ack < 2 * Constants.SPICE_INPUT_MOTION_ACK_BUNCH) {
        // Relative motion, since the last position; motions wait for the server's acks, as spice-html5's do.
        const from = pointer ?? { x, y };
        if (sendInput(inputs, Constants.SPICE_MSGC_INPUTS_MOUSE_MOTION, mouseMotionPayload(x - from.x, y - from.y, buttons))) inputs.waiting_for_ack++;
      }
      pointer = { x, y };
    },
    pressButton(button, down, buttons) {
      sendInput(main.inputs, down ? Constants.SPICE_MSGC_INPUTS_MOUSE_PRESS : Constants.SPICE_MSGC_INPUTS_MOUSE_RELEASE, mouseButtonPayload(button, buttons));
    },
    pasteToGuest: (text) => main.pasteToGuest(text),
    resizeGuest(width, height) {
      if (main.agent_connected !== true) return false;
      // X servers want sizes in multiples of 8 (spice-html5's resize helper rounds the same way).
      main.resize_window(0, width - (width % 8), height - (height % 8), 32, 0, 0);
      return true;
    },
    disconnect() {
      if (ending) return;
      ending = true;
      main.stop();
      unregister();
    },
  };
};
