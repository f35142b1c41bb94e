/** The consoles feature's English messages: spice. */
export const spiceEn = {};
