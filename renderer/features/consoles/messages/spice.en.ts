/** The consoles feature's English messages: spice. */
export const spiceEn = {
  screen: 'Screen of {title} (SPICE). While focused it takes the keyboard; Ctrl+Alt+Shift gives it back.',
  noAgent: "The guest runs no SPICE agent: its display keeps its own size instead of following the tab's.",
};
