import type { KeyboardLayout } from '../../../../shared/domain/consoles';
import { layouts, whitespaceSteps, type KeyStep } from './layouts';

/** The strokes that type a text, and the characters the layout cannot produce (each once, in the order first met). */
export interface TypingPlan {
  steps: KeyStep[];
  skipped: string[];
}

/** One key going down or up, as VNC's `sendKey(keysym, code, down)` and SPICE's key messages take it. */
export interface KeyPress {
  code: string;
  keysym: number;
  down: boolean;
}

const shiftKey = { code: 'ShiftLeft', keysym: 0xffe1 } as const;
/** ISO_Level3_Shift: what the right Alt key is on layouts with AltGr. */
const altGrKey = { code: 'AltRight', keysym: 0xfe03 } as const;

/**
 * Turns text into key strokes for the guest's layout. The text is put in composed form first (an e followed by a
 * combining acute is typed as é); a Windows line break is one Enter. Characters the layout cannot type are never
 * approximated: they are left out and listed.
 */
export function keySteps(text: string, layout: KeyboardLayout): TypingPlan {
  const map = layouts[layout];
  const steps: KeyStep[] = [];
  const skipped = new Set<string>();
  for (const character of text.normalize('NFC').replace(/\r\n?/g, '\n')) {
    const strokes = character === '\n' ? [whitespaceSteps.enter] : character === '\t' ? [whitespaceSteps.tab] : map.get(character);
    if (strokes === undefined) skipped.add(character);
    else steps.push(...strokes);
  }
  return { steps, skipped: [...skipped] };
}

/** The presses and releases of one stroke: its modifiers go down first and come up last. */
export function keyPresses(step: KeyStep): KeyPress[] {
  const modifiers = [...(step.shift ? [shiftKey] : []), ...(step.altGr ? [altGrKey] : [])];
  return [
    ...modifiers.map((key) => ({ ...key, down: true })),
    { code: step.code, keysym: step.keysym, down: true },
    { code: step.code, keysym: step.keysym, down: false },
    ...[...modifiers].reverse().map((key) => ({ ...key, down: false })),
  ];
}
