/**
 * PVE's spiceproxy answer (qemu-server PVE/API2/Qemu.pm `spiceproxy`, pve-access-control
 * PVE/AccessControl.pm `remote_viewer_config`): what a SPICE client needs to reach a guest through
 * the CONNECT proxy on port 3128. `host` (the proxy ticket) and `password` are secrets.
 */
import { z } from 'zod';
import { pveBoolean, pveInteger } from './values';

export const spiceProxyAnswerData = z.object({
  type: z.literal('spice'),
  title: z.string().optional(),
  /** `pvespiceproxy:<time>:<vmid>:<node>…::<signature>`: the CONNECT target, signed by the cluster. */
  host: z.string().min(1),
  /** `http://<address>:3128`. */
  proxy: z.string().min(1),
  'tls-port': pveInteger.pipe(z.number().int().min(1).max(65535)),
  /** QEMU's one-time SPICE password, valid about 30 s. */
  password: z.string().min(1),
  /** The PEM of the CA that signed QEMU's SPICE certificate, its line breaks written as a literal `\n`. */
  ca: z.string().min(1),
  /** The subject QEMU's certificate must have (`OU=PVE Cluster Node,O=Proxmox Virtual Environment,CN=<node>`). */
  'host-subject': z.string().min(1),
  'delete-this-file': pveBoolean.optional(),
  'secure-attention': z.string().optional(),
  'release-cursor': z.string().optional(),
  'toggle-fullscreen': z.string().optional(),
});
export type SpiceProxyAnswer = z.infer<typeof spiceProxyAnswerData>;
