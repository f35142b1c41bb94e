/** The consoles feature's English messages: vnc. */
export const vncEn = {
  screen: 'Screen of {title} (VNC). While focused it takes the keyboard; Ctrl+Alt+Shift gives it back.',
};
