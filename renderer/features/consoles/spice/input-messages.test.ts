import { describe, expect, it } from 'vitest';
import { keyPayload, mouseButtonPayload, mouseMotionPayload, mousePositionPayload } from './input-messages';

const bytes = (buffer: ArrayBuffer) => Array.from(new Uint8Array(buffer));

describe('SPICE inputs channel payloads, byte for byte', () => {
  it('key down/up: the scancode word, an extended key’s E0 first', () => {
    expect(bytes(keyPayload(0x1e))).toEqual([0x1e, 0, 0, 0]);
    expect(bytes(keyPayload(0xd3e0))).toEqual([0xe0, 0xd3, 0, 0]);
  });

  it('mouse position: x, y as uint32, buttons as uint16, display 0', () => {
    expect(bytes(mousePositionPayload(1023, 767, 5))).toEqual([0xff, 0x03, 0, 0, 0xff, 0x02, 0, 0, 5, 0, 0]);
  });

  it('mouse motion: signed dx, dy as int32, buttons as uint16', () => {
    expect(bytes(mouseMotionPayload(-2, 3, 1))).toEqual([0xfe, 0xff, 0xff, 0xff, 3, 0, 0, 0, 1, 0]);
  });

  it('mouse press/release: the button as uint8, buttons as uint16', () => {
    expect(bytes(mouseButtonPayload(3, 4))).toEqual([3, 4, 0]);
  });
});
