/**
 * PVE's answers to the console calls (qemu-server PVE/API2/Qemu.pm `vncproxy`, `termproxy`; pve-manager
 * PVE/API2/Nodes.pm `termproxy`): a listener's port and the ticket that opens it through `vncwebsocket`, valid
 * seconds and only on the host that answered. `ticket` and `password` are secrets: they stay in the main process.
 */
import { z } from 'zod';
import { pveInteger } from './values';

const port = pveInteger.pipe(z.number().int().min(1).max(65535));

/** `POST /nodes/{node}/qemu/{vmid}/vncproxy` with `websocket=1`. */
export const vncProxyAnswerData = z.object({
  port,
  /** `<8-character password>:PVEVNC:…`: the `vncticket` of the websocket. */
  ticket: z.string().min(1),
  user: z.string().min(1),
  upid: z.string().optional(),
  /** The password of QEMU's VNC authentication; older servers send none, then the ticket is the password. */
  password: z.string().min(1).optional(),
});
export type VncProxyAnswer = z.infer<typeof vncProxyAnswerData>;

/** `POST /nodes/{node}/qemu/{vmid}/termproxy` and `POST /nodes/{node}/termproxy`. */
export const termProxyAnswerData = z.object({
  port,
  ticket: z.string().min(1),
  /** Who the `<user>:<ticket>` line names (the token id for an API token). */
  user: z.string().min(1),
  upid: z.string().optional(),
});
export type TermProxyAnswer = z.infer<typeof termProxyAnswerData>;
