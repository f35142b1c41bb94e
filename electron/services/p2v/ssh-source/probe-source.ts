/**
 * Reads the physical server's own figures and the Linux checklist over SSH. Every command only reads; each may
 * fail on its own (a tool missing, an old version) and then its part says "could not read" instead of failing
 * the probe. Commands run one after another: sshd allows few channels per connection.
 */
import type { SshSourceFacts } from '../../../../shared/domain/p2v';
import { fstabChecklist, initramfsChecklist, nicNamesChecklist, vendorAgentsChecklist } from './linux-checklist';
import { readCommand, type SourceShell } from './source-command';
import { parseCpuCount, parseIpLink, parseLsblk, parseLvm, parseMemTotal, parseOsRelease, parseSysNet } from './source-facts';

export const probeCommands = {
  hostname: 'hostname 2>/dev/null || cat /proc/sys/kernel/hostname',
  osRelease: 'cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release',
  cpus: 'nproc',
  meminfo: 'cat /proc/meminfo',
  // MOUNTPOINTS is util-linux 2.37+; older ones only know MOUNTPOINT.
  lsblk: 'lsblk -J -b -o NAME,PATH,SIZE,TYPE,MODEL,PTTYPE,MOUNTPOINTS,FSTYPE 2>/dev/null || lsblk -J -b -o NAME,PATH,SIZE,TYPE,MODEL,PTTYPE,MOUNTPOINT,FSTYPE',
  ipLink: 'ip -j -d link show',
  sysNet: 'for n in /sys/class/net/*; do [ -e "$n/device" ] && k=physical || k=virtual; printf "%s %s %s\\n" "${n##*/}" "$(cat "$n/address")" "$k"; done',
  lvs: 'lvs --reportformat json --units b --nosuffix -o vg_name,lv_name,lv_size,lv_path,lv_attr',
  vgs: 'vgs --reportformat json --units b --nosuffix -o vg_name,vg_free',
  fstab: 'cat /etc/fstab',
  initramfs:
    'k=$(uname -r); if command -v lsinitramfs >/dev/null 2>&1; then lsinitramfs "/boot/initrd.img-$k"; elif command -v lsinitrd >/dev/null 2>&1; then lsinitrd "/boot/initramfs-$k.img"; else exit 127; fi',
  builtinModules: 'cat "/lib/modules/$(uname -r)/modules.builtin"',
  networkFiles:
    'for f in /etc/udev/rules.d/*.rules /etc/systemd/network/*.link /etc/systemd/network/*.network /etc/netplan/*.yaml /etc/network/interfaces /etc/network/interfaces.d/* /etc/sysconfig/network-scripts/ifcfg-* /etc/NetworkManager/system-connections/*; do [ -f "$f" ] && [ -r "$f" ] && { printf "==> %s\\n" "$f"; cat "$f"; }; done; true',
  packages:
    "if command -v dpkg-query >/dev/null 2>&1; then dpkg-query -W -f='${Status}\\t${Package}\\n' | awk -F'\\t' '$1 ~ / installed$/ {print $2}'; elif command -v rpm >/dev/null 2>&1; then rpm -qa --qf '%{NAME}\\n'; else exit 127; fi",
} as const;

type ProbeCommand = keyof typeof probeCommands;

/** Runs each probe command; a failed one (non-zero exit) answers undefined. */
async function readAll(ssh: SourceShell, signal?: AbortSignal): Promise<Record<ProbeCommand, string | undefined>> {
  const answers = {} as Record<ProbeCommand, string | undefined>;
  for (const name of Object.keys(probeCommands) as ProbeCommand[]) {
    const answer = await readCommand(ssh, probeCommands[name], signal === undefined ? {} : { signal });
    answers[name] = answer.exitCode === 0 ? answer.stdout : undefined;
  }
  return answers;
}

/** The facts from the probe commands' answers (pure: what `probeSource` runs, unit-testable on recorded answers). */
export function factsFrom(answers: Record<ProbeCommand, string | undefined>): SshSourceFacts {
  const nics = parseOrUndefined(answers.ipLink, parseIpLink) ?? parseOrUndefined(answers.sysNet, parseSysNet);
  return {
    hostname: answers.hostname?.trim() || 'unknown',
    os: parseOrUndefined(answers.osRelease, parseOsRelease) ?? 'Linux (could not read /etc/os-release)',
    cpus: parseOrUndefined(answers.cpus, parseCpuCount) ?? 0,
    memoryBytes: parseOrUndefined(answers.meminfo, parseMemTotal) ?? 0,
    disks: parseOrUndefined(answers.lsblk, parseLsblk) ?? [],
    nics: nics ?? [],
    lvm: answers.lvs === undefined || answers.vgs === undefined ? [] : (parseLvm(answers.lvs, answers.vgs) ?? []),
    checklist: [
      fstabChecklist(answers.fstab),
      initramfsChecklist(answers.initramfs, answers.builtinModules),
      nicNamesChecklist(nics, answers.networkFiles),
      vendorAgentsChecklist(answers.packages),
    ],
  };
}

function parseOrUndefined<T>(text: string | undefined, parse: (text: string) => T | undefined): T | undefined {
  return text === undefined ? undefined : parse(text);
}

/** The server's figures and checklist, read over an open session to it. */
export async function probeSource(ssh: SourceShell, signal?: AbortSignal): Promise<SshSourceFacts> {
  return factsFrom(await readAll(ssh, signal));
}
