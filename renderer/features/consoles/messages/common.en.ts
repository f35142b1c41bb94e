/** The consoles feature's English messages: common. */
export const commonEn = {};
