/** Byte counts as PVE's task logs print them (PVE::Tools::render_bytes): "1.0 GiB". */
export function renderBytes(bytes: number, precision = 1): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(precision)} ${units[unit]}`;
}
