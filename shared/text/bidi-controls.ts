/**
 * Unicode's bidirectional formatting controls: embeddings and overrides
 * (U+202A–U+202E), isolates (U+2066–U+2069) and the invisible marks (LRM
 * U+200E, RLM U+200F, ALM U+061C). In text a server chose (a guest name, a
 * certificate subject, an error message) they can make what the user reads
 * differ from what is there: "vm-\u202Egpj.exe" shows as "vm-exe.jpg", a
 * mark moves the dots of a host name. Nothing the app shows needs them, so
 * they are removed where such text enters, and kept nowhere.
 */
const bidiControls = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** The same controls written as JSON `\uXXXX` escapes; a backslash escaped itself (`\\u202E`) is text, not an escape. */
const escapedBidiControls = /(?<!\\)((?:\\\\)*)\\u(?:061[cC]|200[eEfF]|202[a-eA-E]|206[6-9])/g;

export function withoutBidiControls(text: string): string {
  return text.replace(bidiControls, '');
}

/** For JSON text before it is parsed: every string value in it comes out without the controls, escaped or not. */
export function jsonWithoutBidiControls(json: string): string {
  return withoutBidiControls(json).replace(escapedBidiControls, '$1');
}

/** The first line of what a remote command printed (`uname -n`, an error), as the UI shows it: trimmed, without the controls. */
export function firstLineShown(output: string): string {
  return withoutBidiControls(output.split('\n', 1)[0] ?? '').trim();
}
