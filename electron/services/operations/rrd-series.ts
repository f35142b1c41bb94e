import type { RrdSeries } from '../../../shared/domain/operations';
import type { RrdRow } from '../pve';

function finiteOrNull(value: number | string | null | undefined): number | null {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
}

/**
 * PVE's RRD rows by column, sorted by time: each metric any row has gets a
 * value per row, null where that row lacks it or holds no finite number
 * (PVE leaves out what the RRD did not record). Rows without a time are
 * dropped: they cannot be placed on the axis.
 */
export function rrdSeries(rows: readonly RrdRow[]): RrdSeries {
  const timed = rows
    .map((row) => ({ row, time: finiteOrNull(row.time) }))
    .filter((entry): entry is { row: RrdRow; time: number } => entry.time !== null)
    .sort((a, b) => a.time - b.time);
  const names = new Set<string>();
  for (const { row } of timed) for (const key of Object.keys(row)) if (key !== 'time') names.add(key);
  const metrics: Record<string, (number | null)[]> = {};
  for (const name of [...names].sort()) metrics[name] = timed.map(({ row }) => finiteOrNull(row[name]));
  return { time: timed.map(({ time }) => time), metrics };
}
