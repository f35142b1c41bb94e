import type { KeyboardLayout } from '../../../../shared/domain/consoles';

/**
 * One key stroke on the guest's keyboard: the physical key (a KeyboardEvent `code`, named after its place on a US
 * keyboard whatever the layout prints on it), the X11 keysym the layout gives it with these modifiers, and the
 * modifiers held while it is pressed. VNC sends both code and keysym (QEMU types the code when the server takes
 * extended key events); SPICE sends the code's scancode.
 */
export interface KeyStep {
  code: string;
  keysym: number;
  shift: boolean;
  altGr: boolean;
}

/** A layout: for each character it can type, the strokes that type it (two for a dead-key composition: the dead key, then the base). */
export type LayoutMap = ReadonlyMap<string, readonly KeyStep[]>;

/** What each key prints: unshifted, with Shift, with AltGr (absent where the layout gives nothing we type). */
type KeyRow = readonly [base: string, shifted?: string, altGr?: string];

/** A dead key: the accent it puts on the next letter, and the letters it composes with (space gives the accent alone). */
interface DeadKey {
  code: string;
  shift: boolean;
  keysym: number;
  spacing: string;
  combining: string;
  bases: string;
}

/** Line breaks and tabs: the same keys on every layout. */
const enterStep: KeyStep = { code: 'Enter', keysym: 0xff0d, shift: false, altGr: false };
const tabStep: KeyStep = { code: 'Tab', keysym: 0xff09, shift: false, altGr: false };

/** X11 names Latin-1 characters by their code point, the euro sign by a legacy keysym, everything else by 0x1000000 + code point. */
function keysymOf(character: string): number {
  if (character === '€') return 0x20ac;
  const codePoint = character.codePointAt(0) ?? 0;
  return codePoint < 0x100 ? codePoint : 0x1000000 + codePoint;
}

function letterRows(letters: string): Record<string, KeyRow> {
  return Object.fromEntries([...letters].map((letter) => [`Key${letter.toUpperCase()}`, [letter, letter.toUpperCase()]]));
}

function buildLayout(rows: Record<string, KeyRow>, deadKeys: readonly DeadKey[] = []): LayoutMap {
  const map = new Map<string, KeyStep[]>([[' ', [{ code: 'Space', keysym: 0x20, shift: false, altGr: false }]]]);
  for (const [code, [base, shifted, altGr]] of Object.entries(rows)) {
    map.set(base, [{ code, keysym: keysymOf(base), shift: false, altGr: false }]);
    if (shifted !== undefined) map.set(shifted, [{ code, keysym: keysymOf(shifted), shift: true, altGr: false }]);
    if (altGr !== undefined) map.set(altGr, [{ code, keysym: keysymOf(altGr), shift: false, altGr: true }]);
  }
  for (const dead of deadKeys) {
    const deadStep: KeyStep = { code: dead.code, keysym: dead.keysym, shift: dead.shift, altGr: false };
    map.set(dead.spacing, [deadStep, ...(map.get(' ') ?? [])]);
    for (const base of dead.bases) map.set((base + dead.combining).normalize('NFC'), [deadStep, ...(map.get(base) ?? [])]);
  }
  return map;
}

/** US (PVE's `en-us`): every printable ASCII character. */
const enUs = buildLayout({
  Backquote: ['`', '~'],
  Digit1: ['1', '!'],
  Digit2: ['2', '@'],
  Digit3: ['3', '#'],
  Digit4: ['4', '$'],
  Digit5: ['5', '%'],
  Digit6: ['6', '^'],
  Digit7: ['7', '&'],
  Digit8: ['8', '*'],
  Digit9: ['9', '('],
  Digit0: ['0', ')'],
  Minus: ['-', '_'],
  Equal: ['=', '+'],
  BracketLeft: ['[', '{'],
  BracketRight: [']', '}'],
  Backslash: ['\\', '|'],
  Semicolon: [';', ':'],
  Quote: ["'", '"'],
  Comma: [',', '<'],
  Period: ['.', '>'],
  Slash: ['/', '?'],
  ...letterRows('abcdefghijklmnopqrstuvwxyz'),
});

/**
 * French AZERTY (PVE's `fr`): the keys Linux `fr` and Windows French agree on, so ß, æ and the other AltGr letters
 * only Linux has are skipped. ^ and ¨ are dead keys (a literal one is the dead key, then Space), and they compose the
 * circumflex and diaeresis vowels. AltGr+2 and AltGr+7 type ~ and ` as Linux `fr` does (Windows makes them dead keys too).
 */
const fr = buildLayout(
  {
    Backquote: ['²'],
    Digit1: ['&', '1'],
    Digit2: ['é', '2', '~'],
    Digit3: ['"', '3', '#'],
    Digit4: ["'", '4', '{'],
    Digit5: ['(', '5', '['],
    Digit6: ['-', '6', '|'],
    Digit7: ['è', '7', '`'],
    Digit8: ['_', '8', '\\'],
    Digit9: ['ç', '9'],
    Digit0: ['à', '0', '@'],
    Minus: [')', '°', ']'],
    Equal: ['=', '+', '}'],
    ...letterRows('rtyuiopsdfghjklxcvbn'),
    KeyQ: ['a', 'A'],
    KeyW: ['z', 'Z'],
    KeyE: ['e', 'E', '€'],
    BracketRight: ['$', '£', '¤'],
    KeyA: ['q', 'Q'],
    Semicolon: ['m', 'M'],
    Quote: ['ù', '%'],
    Backslash: ['*', 'µ'],
    IntlBackslash: ['<', '>'],
    KeyZ: ['w', 'W'],
    KeyM: [',', '?'],
    Comma: [';', '.'],
    Period: [':', '/'],
    Slash: ['!', '§'],
  },
  [
    { code: 'BracketLeft', shift: false, keysym: 0xfe52, spacing: '^', combining: '\u0302', bases: 'aeiouAEIOU' },
    { code: 'BracketLeft', shift: true, keysym: 0xfe57, spacing: '¨', combining: '\u0308', bases: 'aeiouyAEIOU' },
  ],
);

export const layouts: Readonly<Record<KeyboardLayout, LayoutMap>> = { 'en-us': enUs, fr };

export const whitespaceSteps = { enter: enterStep, tab: tabStep } as const;
