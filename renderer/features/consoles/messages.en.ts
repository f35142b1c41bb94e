import { commonEn } from './messages/common.en';
import { spiceEn } from './messages/spice.en';
import { terminalEn } from './messages/terminal.en';
import { typeClipboardEn } from './messages/typeClipboard.en';
import { vncEn } from './messages/vnc.en';

/** The consoles feature's English messages, merged under `consoles` into the app's catalogue; one file per part. */
export const consolesEn = {
  common: commonEn,
  vnc: vncEn,
  spice: spiceEn,
  terminal: terminalEn,
  typeClipboard: typeClipboardEn,
};
