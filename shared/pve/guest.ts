/**
 * Schemas of PVE's answers about one QEMU guest (qemu-server
 * PVE/API2/Qemu.pm `vm_status`, `vm_config`; PVE/API2/Qemu/Agent.pm),
 * shared by the app and the lab's tests.
 */
import { z } from 'zod';
import { pveBoolean, pveInteger, pveNumber } from './values';

/** `ha` of `status/current`: `managed: 0` for a guest the HA manager does not know. */
const haData = z.object({
  managed: pveBoolean,
  state: z.string().optional(),
  /** HA groups are PVE 8's; PVE 9 replaced them with rules and leaves this out. */
  group: z.string().optional(),
});

/** What the balloon driver reports while the guest runs (QMP `query-balloon` plus its statistics). */
const balloonInfoData = z.object({ actual: pveNumber.optional(), max_mem: pveNumber.optional() });

/** `GET /nodes/{node}/qemu/{vmid}/status/current`. */
export const guestStatusData = z.object({
  status: z.string(),
  vmid: pveInteger.optional(),
  name: z.string().optional(),
  qmpstatus: z.string().optional(),
  uptime: pveNumber.optional(),
  cpu: pveNumber.optional(),
  cpus: pveNumber.optional(),
  mem: pveNumber.optional(),
  maxmem: pveNumber.optional(),
  lock: z.string().optional(),
  tags: z.string().optional(),
  template: pveBoolean.optional(),
  /** `1` when the config enables the agent (not whether it answers). */
  agent: pveBoolean.optional(),
  ha: haData.optional(),
  ballooninfo: balloonInfoData.optional(),
});
export type GuestStatus = z.infer<typeof guestStatusData>;

/**
 * `GET /nodes/{node}/qemu/{vmid}/config`: flat keys whose values are strings
 * or numbers (property strings such as `scsi0: local:100/vm-100-disk-0.qcow2,size=32G`
 * are parsed by guest-config.ts).
 */
export const guestConfigData = z.record(z.string(), z.union([z.string(), z.number()]));
export type GuestConfig = z.infer<typeof guestConfigData>;

const agentAddress = z.object({
  'ip-address': z.string(),
  'ip-address-type': z.string().optional(),
  prefix: pveInteger.optional(),
});

/** `GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces`: the guest agent's own answer under `result`. */
export const agentInterfacesData = z
  .object({
    result: z.array(
      z.object({
        name: z.string(),
        'hardware-address': z.string().optional(),
        'ip-addresses': z.array(agentAddress).optional(),
      }),
    ),
  })
  .transform(({ result }) =>
    result.map((nic) => ({
      name: nic.name,
      ...(nic['hardware-address'] !== undefined ? { mac: nic['hardware-address'].toLowerCase() } : {}),
      addresses: (nic['ip-addresses'] ?? []).map((address) => address['ip-address']),
    })),
  );
export type AgentInterface = z.output<typeof agentInterfacesData>[number];

/** The upid a power call answers (`POST .../status/{action}`). */
export const upidData = z.string().min(1);
