/**
 * The Linux checklist, read from the source before capture: what breaks when the disk boots in a VM (device
 * names in fstab, virtio drivers missing from the initramfs, NIC names not tied to their MAC) and hardware agents
 * that have nothing to manage there. Pure functions of what the server printed; `undefined` means "could not read".
 * Summaries and details are i18n keys `p2v.checklist.…` whose params are the findings (the renderer words them).
 */
import type { JobTitle } from '../../../../shared/domain/jobs';
import type { LinuxChecklistItem, SshSourceFacts } from '../../../../shared/domain/p2v';

type Nic = SshSourceFacts['nics'][number];

/** A point whose source (a file, or the command that lists it) could not be read: a warning, since nothing says it is fine. */
function unread(id: LinuxChecklistItem['id'], what: string): LinuxChecklistItem {
  return { id, status: 'warning', summary: { key: 'p2v.checklist.unread', params: { what } }, details: [] };
}

/** Kernel names of disks, which follow the controller: the VM's virtio or SATA disk gets another one. */
const kernelDiskName = /^\/dev\/(sd[a-z]+|hd[a-z]+|vd[a-z]+|xvd[a-z]+|nvme\d+n\d+|cciss\/c\d+d\d+|mmcblk\d+)(p?\d+)?$/;

/** fstab entries that name a disk by its kernel name instead of UUID=, LABEL=, PARTUUID= or a /dev/mapper path. */
export function fstabChecklist(fstab: string | undefined): LinuxChecklistItem {
  if (fstab === undefined) return unread('fstab-stable-names', '/etc/fstab');
  const byName = fstab
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .filter((line) => kernelDiskName.test(line.split(/\s+/)[0] ?? ''));
  if (byName.length === 0) return { id: 'fstab-stable-names', status: 'ok', summary: { key: 'p2v.checklist.fstabStable' }, details: [] };
  const devices = byName.map((line) => line.split(/\s+/)[0] ?? '');
  return {
    id: 'fstab-stable-names',
    status: 'warning',
    summary: { key: 'p2v.checklist.fstabByDeviceName', params: { devices: devices.join(', '), count: devices.length } },
    details: byName.map((line) => ({ key: 'p2v.checklist.details.fstabLine', params: { line } })),
  };
}

/** The modules the VM's disk and NIC need at boot. */
export const virtioModules = ['virtio_pci', 'virtio_blk', 'virtio_scsi', 'virtio_net'] as const;

/** A module file name (`virtio_blk.ko`, `.ko.xz`, `.ko.zst`) or a builtin line (`kernel/drivers/block/virtio_blk.ko`). */
function moduleNames(listing: string): Set<string> {
  const names = new Set<string>();
  for (const match of listing.matchAll(/([\w-]+)\.ko(\.[a-z]+)?\b/g)) if (match[1] !== undefined) names.add(match[1].replaceAll('-', '_'));
  return names;
}

/**
 * Which virtio modules are neither in the initramfs (`lsinitramfs` / `lsinitrd` listing) nor built into the
 * kernel (`modules.builtin`): without virtio_blk/virtio_scsi the VM cannot find its root disk.
 */
export function initramfsChecklist(initramfs: string | undefined, builtin: string | undefined): LinuxChecklistItem {
  if (initramfs === undefined) return unread('virtio-initramfs', 'lsinitramfs / lsinitrd');
  const present = new Set([...moduleNames(initramfs), ...moduleNames(builtin ?? '')]);
  const missing = virtioModules.filter((module) => !present.has(module));
  if (missing.length === 0) return { id: 'virtio-initramfs', status: 'ok', summary: { key: 'p2v.checklist.virtioPresent' }, details: [] };
  return {
    id: 'virtio-initramfs',
    status: 'warning',
    summary: { key: 'p2v.checklist.virtioMissing', params: { modules: missing.join(', ') } },
    details: [{ key: 'p2v.checklist.details.virtioMissing', params: { modules: missing.join(', '), drivers: missing.join(' ') } }],
  };
}

/** `==> <path>` headed sections, as the probe prints the network configuration files. */
export function splitFiles(text: string): { path: string; content: string }[] {
  const files: { path: string; content: string }[] = [];
  for (const part of text.split(/^==> /m).slice(1)) {
    const newline = part.indexOf('\n');
    files.push({ path: (newline < 0 ? part : part.slice(0, newline)).trim(), content: newline < 0 ? '' : part.slice(newline + 1) });
  }
  return files;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a file ties `nic`'s name to its MAC: a udev rule, a systemd .link, netplan's set-name, an ifcfg HWADDR. */
function tiesNameToMac(content: string, nic: Nic): boolean {
  const mac = new RegExp(escape(nic.mac), 'i');
  const name = new RegExp(`(NAME="|Name=|set-name:\\s*|DEVICE=)"?${escape(nic.name)}\\b`);
  return mac.test(content) && name.test(content);
}

/**
 * NIC names of the source, which a VM does not keep: eno1 or enp3s0f0 become ens18 (PVE's first virtio NIC)
 * unless a rule ties the name to the MAC and the VM's NIC gets the same MAC. A NIC the configuration names
 * without such a tie is a warning: its address configuration will not apply in the VM.
 */
export function nicNamesChecklist(nics: Nic[] | undefined, networkFiles: string | undefined): LinuxChecklistItem {
  if (nics === undefined) return unread('nic-names', 'ip link');
  const files = splitFiles(networkFiles ?? '');
  const details: JobTitle[] = [];
  const renamed: string[] = [];
  for (const nic of nics) {
    const tie = files.find((file) => tiesNameToMac(file.content, nic));
    if (tie !== undefined) {
      details.push({ key: 'p2v.checklist.details.nicTied', params: { nic: nic.name, mac: nic.mac, file: tie.path } });
      continue;
    }
    renamed.push(nic.name);
    const named = files.filter((file) => new RegExp(`\\b${escape(nic.name)}\\b`).test(file.content)).map((file) => file.path);
    const params = { nic: nic.name, mac: nic.mac };
    details.push(
      named.length > 0
        ? { key: 'p2v.checklist.details.nicRenamedNamed', params: { ...params, files: named.join(', ') } }
        : { key: 'p2v.checklist.details.nicRenamed', params },
    );
  }
  if (renamed.length === 0) return { id: 'nic-names', status: 'ok', summary: { key: 'p2v.checklist.nicsTied' }, details };
  return { id: 'nic-names', status: 'warning', summary: { key: 'p2v.checklist.nicsRenamed', params: { nics: renamed.join(', ') } }, details };
}

/** Hardware vendor and backup agents, by package name: useless or harmful on a VM (they look for hardware, or back up twice). */
const vendorAgents: { vendor: string; pattern: RegExp }[] = [
  { vendor: 'Dell OpenManage', pattern: /^(srvadmin-|dell-system-update|dellemc-|dcism|openmanage)/i },
  { vendor: 'HPE agents', pattern: /^(hp-health|hp-snmp-agents|hp-smh|hpsmh|hp-ams|amsd|hponcfg|hpssacli|hpacucli|ssacli|ssaducli)\b/i },
  { vendor: 'RAID controller tools', pattern: /^(megacli|storcli|perccli|arcconf)\b/i },
  { vendor: 'Veeam', pattern: /^veeam/i },
  { vendor: 'Commvault', pattern: /^commvault/i },
  { vendor: 'NetWorker', pattern: /^(lgto|networker)/i },
  { vendor: 'Bacula', pattern: /^bacula-(fd|client)\b/i },
  { vendor: 'Bareos', pattern: /^bareos-(filedaemon|fd)\b/i },
  { vendor: 'Acronis', pattern: /acronis/i },
];

/** Installed packages (one name a line, from dpkg-query or rpm) that belong to a hardware vendor or a backup product. */
export function vendorAgentsChecklist(packages: string | undefined): LinuxChecklistItem {
  if (packages === undefined) return unread('vendor-agents', 'dpkg-query / rpm');
  const found = packages
    .split('\n')
    .map((line) => line.trim())
    .flatMap((name) => {
      const agent = vendorAgents.find((candidate) => candidate.pattern.test(name));
      return agent === undefined || name === '' ? [] : [{ name, vendor: agent.vendor }];
    });
  if (found.length === 0) return { id: 'vendor-agents', status: 'ok', summary: { key: 'p2v.checklist.agentsNone' }, details: [] };
  return {
    id: 'vendor-agents',
    status: 'warning',
    summary: { key: 'p2v.checklist.agentsFound', params: { packages: found.map((agent) => agent.name).join(', ') } },
    details: found.map((agent) => ({ key: 'p2v.checklist.details.agent', params: { name: agent.name, vendor: agent.vendor } })),
  };
}
