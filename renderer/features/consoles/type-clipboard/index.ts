/**
 * Type clipboard: text typed into a guest as key strokes for its keyboard layout, for guests without a clipboard agent.
 *
 * - `keySteps(text, layout)` → `{ steps, skipped }`; a viewer's `typeText` sends `keyPresses(step)` for each step
 *   (VNC: `rfb.sendKey(keysym, code, down)`; SPICE: the code's scancode).
 * - `TypeClipboardDialog` (props `show`, `session`, `typeText`; emits `close`): the toolbar's `console-type-clipboard`
 *   opens it, only for a session whose profile shares the clipboard (`session.clipboardSharing`).
 */
export { keyPresses, keySteps, type KeyPress, type TypingPlan } from './key-steps';
export type { KeyStep } from './layouts';
export { default as TypeClipboardDialog } from './TypeClipboardDialog.vue';
