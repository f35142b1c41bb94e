/**
 * How the graphs write their values: binary sizes, sizes per second, shares
 * and plain numbers in the reader's language, the same on the axes, in the
 * legend, in the text alternative and in the table. Built on the inventory's
 * formatters so a figure reads the same on a graph as in a summary.
 */
import { formatBytes, formatNumber, formatPercent } from '../../inventory';

/** What a chart's values measure; every value of one chart has the same unit. */
export type ValueUnit = 'percent' | 'bytes' | 'bytesPerSecond' | 'number';

/** A value as the legend, the summary and the table write it; an em dash where the row has none. */
export function formatValue(value: number | null | undefined, unit: ValueUnit, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'percent':
      return formatPercent(value, locale);
    case 'bytes':
      return formatBytes(value, locale);
    case 'bytesPerSecond':
      return `${formatBytes(value, locale)}/s`;
    case 'number':
      return formatNumber(value, locale);
  }
}

/** An axis tick: shares without decimals (ticks fall on round values), the rest as the legend writes it. */
export function formatTick(value: number, unit: ValueUnit, locale: string): string {
  return unit === 'percent' ? formatPercent(value, locale, 0) : formatValue(value, unit, locale);
}

const binaryMultiples = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

/**
 * The steps uPlot may put between ticks. Sizes step by powers of two of a
 * binary unit, so ticks read "256 MiB, 512 MiB, 768 MiB" rather than
 * "238.4 MiB"; shares and numbers keep uPlot's decimal steps (undefined).
 */
export function tickIncrements(unit: ValueUnit): number[] | undefined {
  if (unit !== 'bytes' && unit !== 'bytesPerSecond') return undefined;
  const steps: number[] = [];
  for (let power = 0; power <= 5; power++) for (const multiple of binaryMultiples) steps.push(multiple * 1024 ** power);
  return steps;
}

/**
 * The value axis's range: from zero (a graph of usage starting elsewhere
 * exaggerates small changes) to the largest value with a little headroom;
 * shares up to 100 % at least, other units up to 1 at least, so a flat zero
 * line still has an axis.
 */
export function valueRange(unit: ValueUnit, largest: number | undefined): [number, number] {
  const top = largest === undefined || !Number.isFinite(largest) ? 0 : largest;
  return [0, unit === 'percent' ? Math.max(1, top) : Math.max(1, top * 1.05)];
}
