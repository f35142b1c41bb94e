/** The consoles feature's English messages: typeClipboard. */
export const typeClipboardEn = {};
