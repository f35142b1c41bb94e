import { describe, expect, it } from 'vitest';
import { spiceKeyCodes } from './scancodes';

describe('SPICE scancodes', () => {
  it('gives a plain key its set-1 make code and the release with bit 7 set', () => {
    expect(spiceKeyCodes('KeyA')).toEqual({ down: 0x1e, up: 0x9e });
    expect(spiceKeyCodes('ControlLeft')).toEqual({ down: 0x1d, up: 0x9d });
    expect(spiceKeyCodes('F12')).toEqual({ down: 0x58, up: 0xd8 });
  });

  it('sends an extended key as the bytes E0 xx in a little-endian word', () => {
    expect(spiceKeyCodes('Delete')).toEqual({ down: 0x53e0, up: 0xd3e0 });
    expect(spiceKeyCodes('AltRight')).toEqual({ down: 0x38e0, up: 0xb8e0 });
  });

  it('has no code for keys a PC keyboard lacks, nor for inherited names', () => {
    expect(spiceKeyCodes('LaunchMail')).toBeUndefined();
    expect(spiceKeyCodes('toString')).toBeUndefined();
  });
});
