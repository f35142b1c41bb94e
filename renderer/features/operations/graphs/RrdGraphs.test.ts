import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RrdSeries } from '../../../../shared/domain/operations';
import { byTestId, exists, fakeIpc, mountInApp } from '../../../testing';
import { labProfileId } from '../../inventory/testing';
import { nodeSummary, summaryRouter } from '../../inventory/testing/summary-host';
import NodeGraphsView from './NodeGraphsView.vue';
import RrdGraphs from './RrdGraphs.vue';

/** uPlot draws on a canvas happy-dom does not have: a stand-in records what each chart was given. */
const plots = vi.hoisted(() => [] as { options: Record<string, unknown>; data: unknown[]; destroyed: boolean }[]);
vi.mock('uplot', () => ({
  default: class {
    record: (typeof plots)[number];
    constructor(options: Record<string, unknown>, data: unknown[]) {
      this.record = { options, data, destroyed: false };
      plots.push(this.record);
    }
    setData(data: unknown[]): void {
      this.record.data = data;
    }
    setSize(): void {}
    destroy(): void {
      this.record.destroyed = true;
    }
  },
}));

const GiB = 1024 ** 3;
const guestRows: RrdSeries = {
  time: [600, 660, 720],
  metrics: {
    cpu: [0.1, null, 0.3],
    mem: [GiB, null, 2 * GiB],
    maxmem: [4 * GiB, 4 * GiB, 4 * GiB],
    netin: [null, null, null],
    netout: [null, null, null],
  },
};

beforeEach(() => {
  fakeIpc.reset();
  plots.length = 0;
  fakeIpc.answer('operations.rrd', () => guestRows);
});

function livePlots() {
  return plots.filter((plot) => !plot.destroyed);
}

describe('RRD graphs', () => {
  it('draws one chart per metric group over one time span with one synced cursor, and says when a period has no data', async () => {
    await mountInApp(RrdGraphs, { profileId: labProfileId, node: 'pve1', vmid: 100 });
    await flushPromises();
    expect(fakeIpc.callsOf('operations.rrd')).toEqual([{ profileId: labProfileId, node: 'pve1', vmid: 100, timeframe: 'hour', cf: 'AVERAGE' }]);
    expect(exists('rrd-chart-cpu') && exists('rrd-chart-memory') && exists('rrd-chart-network') && exists('rrd-chart-disk')).toBe(true);
    expect(byTestId('rrd-chart-network').textContent).toContain('No data for this period');
    // The disk chart's metrics were not sent at all: empty too.
    expect(byTestId('rrd-chart-disk').dataset.empty).toBe('true');

    const drawn = livePlots();
    expect(drawn).toHaveLength(2);
    const syncKeys = drawn.map((plot) => (plot.options.cursor as { sync: { key: string } }).sync.key);
    expect(new Set(syncKeys).size).toBe(1);
    const xRanges = drawn.map((plot) => ((plot.options.scales as { x: { range: () => unknown } }).x.range as () => unknown)());
    expect(xRanges).toEqual([
      [600, 720],
      [600, 720],
    ]);
    // A missing row stays a gap.
    expect(drawn[0]?.data).toEqual([
      [600, 660, 720],
      [0.1, null, 0.3],
    ]);
  });

  it('names each chart by its latest, average and maximum, and shows its rows as a table on demand', async () => {
    await mountInApp(RrdGraphs, { profileId: labProfileId, node: 'pve1', vmid: 100 });
    await flushPromises();
    const memory = byTestId('rrd-chart-memory').querySelector('[role="img"]');
    expect(memory?.getAttribute('aria-label')).toBe(
      'Memory: Used latest 2\u00a0GiB, average 1.5\u00a0GiB, maximum 2\u00a0GiB; Total latest 4\u00a0GiB, average 4\u00a0GiB, maximum 4\u00a0GiB.',
    );
    byTestId('rrd-chart-cpu').querySelector<HTMLElement>('[data-testid="rrd-show-table"]')?.click();
    await flushPromises();
    const cells = [...byTestId('rrd-table').querySelectorAll('tbody td')].map((cell) => cell.textContent?.trim());
    // Newest row first; the gap reads as a dash.
    expect(cells.filter((_, index) => index % 2 === 1)).toEqual(['30%', '—', '10%']);
  });

  it('reads the rows again for another period or consolidation, a node’s without vmid', async () => {
    await mountInApp(RrdGraphs, { profileId: labProfileId, node: 'pve1' });
    await flushPromises();
    byTestId('rrd-timeframe').querySelector<HTMLInputElement>('input[value="week"]')?.click();
    await flushPromises();
    byTestId('rrd-cf').querySelector<HTMLInputElement>('input[value="MAX"]')?.click();
    await flushPromises();
    expect(fakeIpc.callsOf('operations.rrd').map(({ timeframe, cf, vmid }) => [timeframe, cf, vmid])).toEqual([
      ['hour', 'AVERAGE', undefined],
      ['week', 'AVERAGE', undefined],
      ['week', 'MAX', undefined],
    ]);
    expect(exists('rrd-chart-load')).toBe(true);
  });

  it('reads the last hour again every 30 s', async () => {
    vi.useFakeTimers();
    try {
      await mountInApp(RrdGraphs, { profileId: labProfileId, node: 'pve1', vmid: 100 });
      await vi.advanceTimersByTimeAsync(30_000);
      expect(fakeIpc.callsOf('operations.rrd')).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives a node’s KSM sharing now under its memory chart, saying PVE keeps no history of it, and draws no KSM chart', async () => {
    fakeIpc.answer('inventory.nodeSummary', () => nodeSummary({ ksmShared: 768 * 1024 * 1024 }));
    await mountInApp(NodeGraphsView, { profileId: labProfileId, node: 'pve1' }, [summaryRouter()]);
    await flushPromises();
    expect(fakeIpc.callsOf('inventory.nodeSummary')).toEqual([{ profileId: labProfileId, node: 'pve1' }]);
    const ksm = byTestId('rrd-chart-memory').querySelector('[data-testid="node-ksm"]');
    expect(ksm?.textContent).toContain('Memory shared by KSM now: 768\u00a0MiB.');
    expect(ksm?.textContent).toContain('PVE keeps no history of it');
    expect(exists('rrd-chart-ksm')).toBe(false);
  });
});
