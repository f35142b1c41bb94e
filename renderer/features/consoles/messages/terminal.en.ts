/** The consoles feature's English messages: terminal. */
export const terminalEn = {};
