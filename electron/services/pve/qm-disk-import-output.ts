/** The volume `qm disk import` (or `qm importdisk`) created, and the config key it was attached as. */
export interface ImportedDisk {
  /** `unused0`, or the `--target-disk` given (`scsi1`…). */
  key: string;
  /** `local-lvm:vm-100-disk-1`, `local:100/vm-100-disk-0.qcow2`… */
  volid: string;
}

/** PVE 8.3 and later (qemu-server PVE/CLI/qm.pm `importdisk`). */
const CURRENT = /^([a-z]+\d+): successfully imported disk '([^']+)'$/;
/** PVE 8.2 and older. */
const BEFORE_8_3 = /^Successfully imported disk as '([a-z]+\d+):([^']+)'$/;

/**
 * Reads the line naming the imported volume from `qm disk import`'s output
 * (progress lines, possibly `\r`-separated, come before it); undefined when
 * no such line is there, e.g. the import failed.
 */
export function parseQmDiskImportOutput(output: string): ImportedDisk | undefined {
  const lines = output.split(/[\r\n]+/).map((line) => line.trim());
  for (const line of lines.reverse()) {
    const match = CURRENT.exec(line) ?? BEFORE_8_3.exec(line);
    if (match?.[1] && match[2]) return { key: match[1], volid: match[2] };
  }
  return undefined;
}
