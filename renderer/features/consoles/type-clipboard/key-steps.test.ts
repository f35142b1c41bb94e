import { describe, expect, it } from 'vitest';
import { keyPresses, keySteps } from './key-steps';
import type { KeyStep } from './layouts';

const usRows = ['`1234567890-=', '~!@#$%^&*()_+', "[]\\;',./", '{}|:"<>?'];
const usCodes = ['Backquote', 'Digit1', 'Digit2', 'Digit3', 'Digit4', 'Digit5', 'Digit6', 'Digit7', 'Digit8', 'Digit9', 'Digit0', 'Minus', 'Equal'];
const usPunctuationCodes = ['BracketLeft', 'BracketRight', 'Backslash', 'Semicolon', 'Quote', 'Comma', 'Period', 'Slash'];

/** The one stroke a character needs (fails the test when it needs none or several). */
function stroke(character: string, layout: 'en-us' | 'fr'): KeyStep {
  const { steps, skipped } = keySteps(character, layout);
  expect(skipped, character).toEqual([]);
  expect(steps, character).toHaveLength(1);
  return steps[0] as KeyStep;
}

const plain = (code: string, keysym: number): KeyStep => ({ code, keysym, shift: false, altGr: false });
const shifted = (code: string, keysym: number): KeyStep => ({ code, keysym, shift: true, altGr: false });
const altGr = (code: string, keysym: number): KeyStep => ({ code, keysym, shift: false, altGr: true });
const char = (character: string) => character.codePointAt(0) as number;

describe('en-us', () => {
  it('types every printable ASCII character with the right key, Shift exactly where the US keyboard needs it', () => {
    for (let codePoint = 0x20; codePoint <= 0x7e; codePoint++) {
      const character = String.fromCodePoint(codePoint);
      const step = stroke(character, 'en-us');
      expect(step.keysym, character).toBe(codePoint);
      expect(step.altGr, character).toBe(false);
      if (/[a-z]/.test(character)) expect(step, character).toEqual(plain(`Key${character.toUpperCase()}`, codePoint));
      else if (/[A-Z]/.test(character)) expect(step, character).toEqual(shifted(`Key${character}`, codePoint));
      else if (character === ' ') expect(step).toEqual(plain('Space', 0x20));
    }
    [...(usRows[0] as string)].forEach((c, i) => expect(stroke(c, 'en-us'), c).toEqual(plain(usCodes[i] as string, char(c))));
    [...(usRows[1] as string)].forEach((c, i) => expect(stroke(c, 'en-us'), c).toEqual(shifted(usCodes[i] as string, char(c))));
    [...(usRows[2] as string)].forEach((c, i) => expect(stroke(c, 'en-us'), c).toEqual(plain(usPunctuationCodes[i] as string, char(c))));
    [...(usRows[3] as string)].forEach((c, i) => expect(stroke(c, 'en-us'), c).toEqual(shifted(usPunctuationCodes[i] as string, char(c))));
  });

  it('presses Enter for each line break (a Windows CRLF is one) and Tab for a tab', () => {
    const { steps } = keySteps('a\r\nb\nc\rd\te', 'en-us');
    expect(steps.map((s) => s.code)).toEqual(['KeyA', 'Enter', 'KeyB', 'Enter', 'KeyC', 'Enter', 'KeyD', 'Tab', 'KeyE']);
    expect(steps[1]?.keysym).toBe(0xff0d);
    expect(steps[7]?.keysym).toBe(0xff09);
  });

  it('skips what a US keyboard cannot type, each character once and in the order first met', () => {
    const { steps, skipped } = keySteps('café 😀 naïve 😀 é', 'en-us');
    expect(skipped).toEqual(['é', '😀', 'ï']);
    expect(steps.map((s) => s.keysym)).toEqual([...'caf  nave  '].map(char));
  });
});

describe('fr (AZERTY)', () => {
  it('finds the letters where AZERTY moved them', () => {
    expect(stroke('a', 'fr')).toEqual(plain('KeyQ', char('a')));
    expect(stroke('q', 'fr')).toEqual(plain('KeyA', char('q')));
    expect(stroke('z', 'fr')).toEqual(plain('KeyW', char('z')));
    expect(stroke('w', 'fr')).toEqual(plain('KeyZ', char('w')));
    expect(stroke('m', 'fr')).toEqual(plain('Semicolon', char('m')));
    expect(stroke('M', 'fr')).toEqual(shifted('Semicolon', char('M')));
    expect(stroke('b', 'fr')).toEqual(plain('KeyB', char('b')));
  });

  it('types digits with Shift and the accented letters directly', () => {
    expect([...'1234567890'].map((c) => stroke(c, 'fr'))).toEqual(
      ['Digit1', 'Digit2', 'Digit3', 'Digit4', 'Digit5', 'Digit6', 'Digit7', 'Digit8', 'Digit9', 'Digit0'].map((code, i) =>
        shifted(code, char('1234567890'[i] as string)),
      ),
    );
    expect(stroke('é', 'fr')).toEqual(plain('Digit2', 0xe9));
    expect(stroke('è', 'fr')).toEqual(plain('Digit7', 0xe8));
    expect(stroke('ç', 'fr')).toEqual(plain('Digit9', 0xe7));
    expect(stroke('à', 'fr')).toEqual(plain('Digit0', 0xe0));
    expect(stroke('ù', 'fr')).toEqual(plain('Quote', 0xf9));
  });

  it('types the AltGr row', () => {
    const row: [string, string][] = [
      ['~', 'Digit2'],
      ['#', 'Digit3'],
      ['{', 'Digit4'],
      ['[', 'Digit5'],
      ['|', 'Digit6'],
      ['`', 'Digit7'],
      ['\\', 'Digit8'],
      ['@', 'Digit0'],
      [']', 'Minus'],
      ['}', 'Equal'],
      ['€', 'KeyE'],
    ];
    for (const [character, code] of row) expect(stroke(character, 'fr'), character).toEqual(altGr(code, character === '€' ? 0x20ac : char(character)));
  });

  it('types a French sentence with its punctuation', () => {
    const { steps, skipped } = keySteps('Où est-il ? À côté : « non », dit-il ; 5 € & 100 % !', 'fr');
    expect(skipped).toEqual(['À', '«', '»']);
    const typed = steps.map((s) => `${s.shift ? '⇧' : ''}${s.altGr ? '⌥' : ''}${s.code}`);
    expect(typed.slice(0, 3)).toEqual(['⇧KeyO', 'Quote', 'Space']);
    // "est-il ?": the hyphen is the 6 key, the question mark Shift+M's key (KeyM on a US keyboard).
    expect(typed.slice(3, 12)).toEqual(['KeyE', 'KeyS', 'KeyT', 'Digit6', 'KeyI', 'KeyL', 'Space', '⇧KeyM', 'Space']);
    // "côté": ô is the dead circumflex, then o; é is its own key.
    expect(typed.slice(13, 18)).toEqual(['KeyC', 'BracketLeft', 'KeyO', 'KeyT', 'Digit2']);
    expect(typed).toContain('Period'); // the colon
    expect(typed).toContain('Comma'); // the semicolon
    expect(typed).toContain('KeyM'); // the comma
    expect(typed).toContain('⌥KeyE'); // the euro sign
    expect(typed).toContain('Digit1'); // the ampersand
    expect(typed).toContain('⇧Quote'); // the per cent sign
    expect(typed.at(-1)).toBe('Slash'); // the exclamation mark
  });

  it('types a literal ^ and ¨ as the dead key followed by Space, and composes the accented vowels', () => {
    const deadCircumflex = plain('BracketLeft', 0xfe52);
    const deadDiaeresis = shifted('BracketLeft', 0xfe57);
    const space = plain('Space', 0x20);
    expect(keySteps('^', 'fr').steps).toEqual([deadCircumflex, space]);
    expect(keySteps('¨', 'fr').steps).toEqual([deadDiaeresis, space]);
    expect(keySteps('ê', 'fr').steps).toEqual([deadCircumflex, plain('KeyE', char('e'))]);
    expect(keySteps('Â', 'fr').steps).toEqual([deadCircumflex, shifted('KeyQ', char('A'))]);
    expect(keySteps('ï', 'fr').steps).toEqual([deadDiaeresis, plain('KeyI', char('i'))]);
    expect(keySteps('ÿ', 'fr').steps).toEqual([deadDiaeresis, plain('KeyY', char('y'))]);
    // A decomposed e + combining circumflex is the same character.
    expect(keySteps('e\u0302', 'fr').steps).toEqual(keySteps('ê', 'fr').steps);
  });

  it('skips what the layout cannot produce, once each in order', () => {
    expect(keySteps('ßaß😀ñ😀', 'fr').skipped).toEqual(['ß', '😀', 'ñ']);
  });

  it('types every printable ASCII character', () => {
    const ascii = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCodePoint(0x20 + i)).join('');
    expect(keySteps(ascii, 'fr').skipped).toEqual([]);
  });
});

describe('long texts', () => {
  it('plans 10 000 characters, skipping the one untypable character once', () => {
    const text = 'Hello, world! ß 123\n'.repeat(500);
    expect(text).toHaveLength(10_000);
    const plan = keySteps(text, 'en-us');
    expect(plan.skipped).toEqual(['ß']);
    expect(plan.steps).toHaveLength(9_500);
    expect(plan.steps.filter((s) => s.code === 'Enter')).toHaveLength(500);
  });
});

describe('keyPresses', () => {
  it('holds the modifiers around the key and releases them in reverse order', () => {
    expect(keyPresses({ code: 'Digit0', keysym: 0x40, shift: true, altGr: true })).toEqual([
      { code: 'ShiftLeft', keysym: 0xffe1, down: true },
      { code: 'AltRight', keysym: 0xfe03, down: true },
      { code: 'Digit0', keysym: 0x40, down: true },
      { code: 'Digit0', keysym: 0x40, down: false },
      { code: 'AltRight', keysym: 0xfe03, down: false },
      { code: 'ShiftLeft', keysym: 0xffe1, down: false },
    ]);
    expect(keyPresses({ code: 'KeyA', keysym: 0x61, shift: false, altGr: false })).toEqual([
      { code: 'KeyA', keysym: 0x61, down: true },
      { code: 'KeyA', keysym: 0x61, down: false },
    ]);
  });
});
