import type { consolesEn } from './messages.en';
import { commonFr } from './messages/common.fr';
import { spiceFr } from './messages/spice.fr';
import { terminalFr } from './messages/terminal.fr';
import { typeClipboardFr } from './messages/typeClipboard.fr';
import { vncFr } from './messages/vnc.fr';

/** Les messages des consoles en français ; mêmes clés que l'anglais (vérifié par le type). */
export const consolesFr: typeof consolesEn = {
  common: commonFr,
  vnc: vncFr,
  spice: spiceFr,
  terminal: terminalFr,
  typeClipboard: typeClipboardFr,
};
