import { SpiceCursorConn } from '@spice-project/spice-html5/src/cursor.js';
import { SpiceDisplayConn } from '@spice-project/spice-html5/src/display.js';
import { Constants } from '@spice-project/spice-html5/src/enums.js';
import { SpiceInputsConn } from '@spice-project/spice-html5/src/inputs.js';
import { SpiceMainConn } from '@spice-project/spice-html5/src/main.js';
import { SpicePlaybackConn } from '@spice-project/spice-html5/src/playback.js';
import type { SpiceConn, SpiceConnOptions, SpiceMessage } from '@spice-project/spice-html5/src/spiceconn.js';
import { SpiceMiniData, SpiceMsgChannels } from '@spice-project/spice-html5/src/spicemsg.js';
import { AgentClipboard } from './agent-clipboard';
import { AgentStreamReader, agentMessageChunks } from './agent-stream';

/**
 * spice-html5's channels, with this app's fixes and additions in subclasses (node_modules stays as installed):
 * - the main channel speaks the agent clipboard (spice-html5 has none) and reassembles agent messages that span
 *   several SPICE messages (spice-html5 reads each as a whole message);
 * - it opens the channels itself, so each gets an error handler (spice-html5 throws from a channel without one),
 *   playback gets its own field (spice-html5 stores it over the cursor channel) and only when the guest has audio,
 *   and channels this viewer does not drive (USB redirection, ports, smartcard, recording) are not opened at all;
 * - the display channel leaves input to spice-input.ts (spice-html5 maps deprecated key codes, alerts on unknown keys
 *   and ignores scaling) and finds its canvas by reference, not by a document-wide id, so two SPICE tabs coexist.
 */

/** What the channels tell the client. */
export interface ChannelHooks {
  /** Whether to open the playback channel (the guest has an audio device). */
  audio: boolean;
  clipboardSharing: boolean;
  /** Every channel socket as it is made, to follow its close. */
  watch(connection: SpiceConn): void;
  /** A channel's own failure (spice-html5 `onerror`). */
  channelError(connection: SpiceConn, error: Error | Event): void;
  primarySurface(canvas: HTMLCanvasElement | undefined): void;
  agent(connected: boolean): void;
  guestClipboard(text: string): void;
}

export class ViewerDisplayConn extends SpiceDisplayConn {
  constructor(
    options: SpiceConnOptions,
    private readonly hooks: ChannelHooks,
  ) {
    super(options);
  }

  /** spice-html5 calls this once the primary surface's canvas is in the screen element. */
  override hook_events(): void {
    const canvas = this.primary_surface === undefined ? undefined : this.surfaces?.[this.primary_surface]?.canvas;
    if (canvas === undefined) return;
    // spice-html5 pins the screen element's height to the surface; the viewer's CSS sizes it (scaling modes).
    canvas.parentElement?.style.removeProperty('height');
    // Its id (`spice_surface_0`) would repeat in a second SPICE tab, and its tabindex would add a second tab stop
    // to the screen: delete_surface below finds the canvas by reference instead.
    canvas.removeAttribute('id');
    canvas.removeAttribute('tabindex');
    this.hooks.primarySurface(canvas);
  }

  override unhook_events(): void {}

  override delete_surface(surfaceId: number): void {
    const surface = this.surfaces?.[surfaceId];
    if (surface !== undefined && this.primary_surface === surfaceId) {
      surface.canvas.remove();
      this.primary_surface = undefined;
      this.hooks.primarySurface(undefined);
    }
    // A real delete, as spice-html5's: its destroy_surfaces walks the array's keys.
    if (this.surfaces !== undefined) Reflect.deleteProperty(this.surfaces, surfaceId);
  }
}

export class ViewerMainConn extends SpiceMainConn {
  private readonly agentStream = new AgentStreamReader();
  private readonly clipboard: AgentClipboard;
  playback: SpiceConn | undefined;

  constructor(
    options: SpiceConnOptions,
    private readonly hooks: ChannelHooks,
  ) {
    super(options);
    hooks.watch(this);
    this.clipboard = new AgentClipboard({
      clipboardSharing: hooks.clipboardSharing,
      send: (type, payload) => this.sendAgentMessage(type, payload),
      onGuestText: (text) => hooks.guestClipboard(text),
    });
  }

  override process_channel_message(message: SpiceMessage): boolean {
    if (message.type === Constants.SPICE_MSG_MAIN_CHANNELS_LIST) {
      this.openChannels(new SpiceMsgChannels(message.data ?? new ArrayBuffer(0)));
      return true;
    }
    if (message.type === Constants.SPICE_MSG_MAIN_AGENT_DATA) {
      this.receiveAgentData(new Uint8Array(message.data ?? new ArrayBuffer(0)));
      return true;
    }
    if (message.type === Constants.SPICE_MSG_MAIN_AGENT_DISCONNECTED) {
      this.agentStream.reset();
      this.clipboard.reset();
      this.hooks.agent(false);
    }
    return super.process_channel_message(message);
  }

  /** Called by spice-html5 when the agent connects (at init or later), before it announces our capabilities. */
  override connect_agent(): void {
    this.agentStream.reset();
    this.clipboard.reset();
    super.connect_agent();
    this.hooks.agent(true);
  }

  /** spice-html5 announces mouse state, monitors config and reply only; ours add the clipboard. */
  override announce_agent_capabilities(request: number): void {
    this.clipboard.announce(request !== 0);
  }

  override stop(): void {
    this.playback?.cleanup();
    this.playback = undefined;
    super.stop();
  }

  /** Puts text on the guest's clipboard through the agent; false without an agent or with sharing off. */
  pasteToGuest(text: string): boolean {
    return this.agent_connected === true && this.clipboard.paste(text);
  }

  private receiveAgentData(bytes: Uint8Array): void {
    for (const item of this.agentStream.push(bytes)) {
      if (item.kind === 'refused') this.log_warn(`SPICE agent: ${item.reason}`);
      else this.clipboard.receive(item.message);
    }
  }

  /** One agent message, in pieces of at most VD_AGENT_MAX_DATA_SIZE, each spending one agent token (spice-html5's queue waits for tokens). */
  private sendAgentMessage(type: number, payload: Uint8Array): void {
    for (const chunk of agentMessageChunks(type, payload)) {
      const message = new SpiceMiniData();
      message.type = Constants.SPICE_MSGC_MAIN_AGENT_DATA;
      message.data = chunk.slice().buffer;
      message.size = chunk.byteLength;
      this.send_agent_message_queue(message);
    }
  }

  private openChannels(list: SpiceMsgChannels): void {
    const url = this.ws?.url;
    if (url === undefined) return;
    for (const channel of list.channels) {
      const options: SpiceConnOptions = {
        uri: url,
        parent: this,
        connection_id: this.connection_id,
        type: channel.type,
        chan_id: channel.id,
        onerror: (error) => this.hooks.channelError(connection ?? this, error),
      };
      let connection: SpiceConn | undefined;
      if (channel.type === Constants.SPICE_CHANNEL_DISPLAY && channel.id === 0) connection = this.display = new ViewerDisplayConn(options, this.hooks);
      else if (channel.type === Constants.SPICE_CHANNEL_INPUTS) {
        const inputs = new SpiceInputsConn(options);
        inputs.mouse_mode = this.mouse_mode;
        connection = this.inputs = inputs;
      } else if (channel.type === Constants.SPICE_CHANNEL_CURSOR) connection = this.cursor = new SpiceCursorConn(options);
      else if (channel.type === Constants.SPICE_CHANNEL_PLAYBACK && this.hooks.audio) connection = this.playback = new SpicePlaybackConn(options);
      if (connection !== undefined) this.hooks.watch(connection);
    }
  }
}
