/** The consoles feature's English messages: vnc. */
export const vncEn = {};
