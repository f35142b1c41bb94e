import { randomInt } from 'node:crypto';

/** PVE's range for VNC passwords (pve-common `PVE::Ticket::generate_vnc_password`): `!` to `` ` ``, so `#`, `&` and `:` occur. */
export const VNC_PASSWORD_FIRST = 0x21;
export const VNC_PASSWORD_LAST = 0x60;

/** An 8-character RFB password (RFB uses at most 8), uniform over PVE's range. */
export function vncPassword(): string {
  return String.fromCharCode(...Array.from({ length: 8 }, () => randomInt(VNC_PASSWORD_FIRST, VNC_PASSWORD_LAST + 1)));
}
