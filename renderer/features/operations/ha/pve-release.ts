/** The major release in a node's `pveversion` (`pve-manager/9.2.11/1a2b…` → 9); undefined when it does not say. */
export function pveMajor(pveVersion: string | undefined): number | undefined {
  const match = /^pve-manager\/(\d+)\./.exec(pveVersion ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** HA groups are PVE 8's; PVE 9 replaced them with rules and refuses `group`. */
export function haGroupsSupported(major: number | undefined): boolean {
  return major !== undefined && major < 9;
}
