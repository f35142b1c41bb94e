/**
 * Payloads of the SPICE inputs channel's client messages (spice-common `common/spice.proto`, InputsChannel; little-endian, packed).
 * Pure, so each is checked byte for byte; spice-client.ts sends them.
 */

function payload(size: number, write: (view: DataView) => void): ArrayBuffer {
  const buffer = new ArrayBuffer(size);
  write(new DataView(buffer));
  return buffer;
}

/** SPICE_MSGC_INPUTS_KEY_DOWN / _UP: `uint32 code` (scancode bytes, see scancodes.ts). */
export function keyPayload(scancode: number): ArrayBuffer {
  return payload(4, (view) => view.setUint32(0, scancode, true));
}

/** SPICE_MSGC_INPUTS_MOUSE_POSITION (client mouse mode): `uint32 x, uint32 y, uint16 buttons_state, uint8 display_id`. */
export function mousePositionPayload(x: number, y: number, buttons: number): ArrayBuffer {
  return payload(11, (view) => {
    view.setUint32(0, x, true);
    view.setUint32(4, y, true);
    view.setUint16(8, buttons, true);
    view.setUint8(10, 0);
  });
}

/** SPICE_MSGC_INPUTS_MOUSE_MOTION (server mouse mode): `int32 dx, int32 dy, uint16 buttons_state`. */
export function mouseMotionPayload(dx: number, dy: number, buttons: number): ArrayBuffer {
  return payload(10, (view) => {
    view.setInt32(0, dx, true);
    view.setInt32(4, dy, true);
    view.setUint16(8, buttons, true);
  });
}

/** SPICE_MSGC_INPUTS_MOUSE_PRESS / _RELEASE: `uint8 button, uint16 buttons_state`. */
export function mouseButtonPayload(button: number, buttons: number): ArrayBuffer {
  return payload(3, (view) => {
    view.setUint8(0, button);
    view.setUint16(1, buttons, true);
  });
}
