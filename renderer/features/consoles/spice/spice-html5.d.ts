/**
 * Types for the parts of spice-html5 0.2.1 (plain ES modules, no typings) that spice-client.ts uses.
 * Its channels are ES5 constructor functions; spice-client.ts subclasses them with `class … extends`.
 */

declare module '@spice-project/spice-html5/src/spiceconn.js' {
  /** What a channel's constructor takes. */
  export interface SpiceConnOptions {
    uri: string;
    password?: string;
    screen_id?: string;
    parent?: SpiceConn;
    connection_id?: number;
    type?: number;
    chan_id?: number;
    onerror?: (error: Error | Event) => void;
    onsuccess?: (message: string) => void;
  }

  export interface SpiceMessage {
    type: number;
    size: number;
    data?: ArrayBuffer;
  }

  export class SpiceConn {
    constructor(options: SpiceConnOptions);
    /** The channel's socket; spice-html5 drops it (undefined) on cleanup. */
    ws: WebSocket | undefined;
    /** connecting → start → link → ticket → ready; closing / error at the end. */
    state: string;
    type: number;
    parent?: SpiceConn;
    screen_id?: string;
    connection_id: number;
    send_msg(message: SpiceMessage & { buffer_size(): number; to_buffer(buffer: ArrayBuffer, at?: number): void }): void;
    process_channel_message(message: SpiceMessage): boolean;
    cleanup(): void;
    log_warn(...parts: unknown[]): void;
  }
}

declare module '@spice-project/spice-html5/src/main.js' {
  import { SpiceConn, type SpiceConnOptions, type SpiceMessage } from '@spice-project/spice-html5/src/spiceconn.js';
  import type { SpiceInputsConn } from '@spice-project/spice-html5/src/inputs.js';

  export class SpiceMainConn extends SpiceConn {
    constructor(options: SpiceConnOptions);
    agent_connected?: boolean;
    agent_tokens: number;
    mouse_mode: number;
    connection_id: number;
    inputs?: SpiceInputsConn;
    cursor?: SpiceConn;
    display?: SpiceConn & { cleanup(): void; destroy_surfaces(): void };
    stop(): void;
    send_agent_message_queue(message?: SpiceMessage): void;
    announce_agent_capabilities(request: number): void;
    resize_window(flags: number, width: number, height: number, depth: number, x: number, y: number): void;
    connect_agent(): void;
  }
}

declare module '@spice-project/spice-html5/src/display.js' {
  import { SpiceConn } from '@spice-project/spice-html5/src/spiceconn.js';

  export interface SpiceSurface {
    surface_id: number;
    width: number;
    height: number;
    canvas: HTMLCanvasElement;
  }

  export class SpiceDisplayConn extends SpiceConn {
    primary_surface?: number;
    surfaces?: SpiceSurface[];
    hook_events(): void;
    unhook_events(): void;
    delete_surface(surfaceId: number): void;
    destroy_surfaces(): void;
  }
}

declare module '@spice-project/spice-html5/src/inputs.js' {
  import { SpiceConn } from '@spice-project/spice-html5/src/spiceconn.js';

  export class SpiceInputsConn extends SpiceConn {
    /** Mouse motions sent and not yet acknowledged (the server acknowledges them by bunches). */
    waiting_for_ack: number;
    /** The main channel's mouse mode, which the cursor channel reads. */
    mouse_mode: number;
  }
}

declare module '@spice-project/spice-html5/src/cursor.js' {
  import { SpiceConn } from '@spice-project/spice-html5/src/spiceconn.js';

  export class SpiceCursorConn extends SpiceConn {}
}

declare module '@spice-project/spice-html5/src/playback.js' {
  import { SpiceConn } from '@spice-project/spice-html5/src/spiceconn.js';

  export class SpicePlaybackConn extends SpiceConn {}
}

declare module '@spice-project/spice-html5/src/spicemsg.js' {
  export class SpiceMiniData {
    constructor(buffer?: ArrayBuffer);
    type: number;
    size: number;
    data?: ArrayBuffer;
    buffer_size(): number;
    to_buffer(buffer: ArrayBuffer, at?: number): void;
  }

  export class SpiceMsgChannels {
    constructor(buffer: ArrayBuffer);
    channels: { type: number; id: number }[];
  }
}

declare module '@spice-project/spice-html5/src/enums.js' {
  export const Constants: {
    readonly SPICE_CHANNEL_DISPLAY: number;
    readonly SPICE_CHANNEL_INPUTS: number;
    readonly SPICE_CHANNEL_CURSOR: number;
    readonly SPICE_CHANNEL_PLAYBACK: number;
    readonly SPICE_MSG_MAIN_CHANNELS_LIST: number;
    readonly SPICE_MSG_MAIN_AGENT_DISCONNECTED: number;
    readonly SPICE_MSG_MAIN_AGENT_DATA: number;
    readonly SPICE_MSGC_MAIN_AGENT_DATA: number;
    readonly SPICE_MSGC_INPUTS_KEY_DOWN: number;
    readonly SPICE_MSGC_INPUTS_KEY_UP: number;
    readonly SPICE_MSGC_INPUTS_MOUSE_MOTION: number;
    readonly SPICE_MSGC_INPUTS_MOUSE_POSITION: number;
    readonly SPICE_MSGC_INPUTS_MOUSE_PRESS: number;
    readonly SPICE_MSGC_INPUTS_MOUSE_RELEASE: number;
    readonly SPICE_MOUSE_MODE_CLIENT: number;
    readonly SPICE_INPUT_MOTION_ACK_BUNCH: number;
  };
}
