import type { KeyCombination } from './viewer';

/** The keys the combinations use: X11 keysym (keysymdef.h) and the KeyboardEvent `code` of the same key. */
const keys = {
  control: { keysym: 0xffe3, code: 'ControlLeft' },
  alt: { keysym: 0xffe9, code: 'AltLeft' },
  delete: { keysym: 0xffff, code: 'Delete' },
  tab: { keysym: 0xff09, code: 'Tab' },
  print: { keysym: 0xff61, code: 'PrintScreen' },
} as const;

type Key = { keysym: number; code: string };

function functionKey(n: number): Key {
  // XK_F1 is 0xffbe and F1…F12 follow each other.
  return { keysym: 0xffbe + n - 1, code: `F${n}` };
}

function combination(id: string, pressed: Key[]): KeyCombination {
  return { id, keysyms: pressed.map((key) => key.keysym), codes: pressed.map((key) => key.code) };
}

/** Ctrl+Alt+Del, then the key menu's combinations in the order it lists them (`console-key-<id>`). */
export const ctrlAltDel = combination('ctrl-alt-del', [keys.control, keys.alt, keys.delete]);

export const keyCombinations: KeyCombination[] = [
  ctrlAltDel,
  ...Array.from({ length: 12 }, (_, index) => combination(`ctrl-alt-f${index + 1}`, [keys.control, keys.alt, functionKey(index + 1)])),
  combination('alt-tab', [keys.alt, keys.tab]),
  combination('print', [keys.print]),
];

/** One key press or release of a combination, in the order a viewer sends them. */
export interface KeyEvent {
  keysym: number;
  code: string | null;
  down: boolean;
}

/** Presses the combination's keys in order and releases them in reverse, as a person holding them would. */
export function keyEvents(combination: KeyCombination): KeyEvent[] {
  const pressed = combination.keysyms.map((keysym, index) => ({ keysym, code: combination.codes?.[index] ?? null }));
  return [...pressed.map((key) => ({ ...key, down: true })), ...[...pressed].reverse().map((key) => ({ ...key, down: false }))];
}

/** Keys whose names differ between keyboards (`Suppr` on French ones): the key menu translates them. */
export const translatedKeyNames = ['del', 'print'] as const;
export type TranslatedKeyName = (typeof translatedKeyNames)[number];

// Named alike on English and French keyboards.
const universalKeyNames: Record<string, string> = { ctrl: 'Ctrl', alt: 'Alt', tab: 'Tab' };

/** The combination's label as a user reads it: `Ctrl+Alt+F1`, `Alt+Tab`; function keys keep their own name. */
export function combinationLabel(combination: KeyCombination, keyName: (id: TranslatedKeyName) => string): string {
  return combination.id
    .split('-')
    .map(
      (part) => universalKeyNames[part] ?? ((translatedKeyNames as readonly string[]).includes(part) ? keyName(part as TranslatedKeyName) : part.toUpperCase()),
    )
    .join('+');
}
