import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { defaultSettings } from '../../../shared/domain/settings';
import { IpcError } from '../../../shared/ipc/errors';
import { byTestId, exists, fakeIpc, mountInApp } from '../../testing';
import NodeView from './NodeView.vue';
import { clusterFeed, guestItem, labProfileId, nodeItem, serveInventory } from './testing/inventory-host';
import { nodeSummary, summaryRouter } from './testing/summary-host';
import { summaryRefreshMs } from './use-polled-summary';

let locale: Ref<string>;

/** The view with a hand on the app's language, as the settings would switch it. */
const NodePage = defineComponent({
  props: { storage: { type: String, default: undefined } },
  setup(props) {
    locale = useI18n().locale;
    return () => h(NodeView, { profileId: labProfileId, node: 'pve1', ...(props.storage === undefined ? {} : { storage: props.storage }) });
  },
});

async function showNode(storage?: string) {
  serveInventory(fakeIpc, [
    {
      feed: clusterFeed(),
      items: [
        nodeItem('pve1'),
        nodeItem('pve2'),
        guestItem(100),
        guestItem(101, { status: 'stopped' }),
        guestItem(102, { node: 'pve2' }),
        { id: 'lxc/200', type: 'lxc', vmid: 200, node: 'pve1', status: 'running' },
      ],
    },
  ]);
  await mountInApp(NodePage, storage === undefined ? {} : { storage }, [summaryRouter()]);
  await flushPromises();
}

const text = (testId: string) => byTestId(testId).textContent ?? '';
const storageRow = (name: string) => document.querySelector<HTMLElement>(`[data-testid="node-storage"][data-storage="${name}"]`);

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
  fakeIpc.answer('settings.get', () => structuredClone(defaultSettings));
});
afterEach(() => vi.useRealTimers());

describe('NodeView', () => {
  it('shows the node’s CPU, load, memory, swap, KSM, uptime, versions, its storages’ fill and its guests', async () => {
    fakeIpc.answer('inventory.nodeSummary', () => nodeSummary());
    await showNode();
    expect(fakeIpc.callsOf('inventory.nodeSummary')).toEqual([{ profileId: labProfileId, node: 'pve1' }]);
    const summary = byTestId('node-summary');
    expect(summary.dataset.state).toBe('online');
    expect(summary.querySelector('h1')?.textContent).toBe('Node pve1');
    expect(text('node-cpu')).toContain('12.5% of 16 CPUs');
    expect(summary.textContent).toContain('AMD EPYC 7302P 16-Core Processor');
    expect(text('node-load')).toBe('0.5 (1 min), 0.75 (5 min), 1.25 (15 min)');
    expect(text('node-memory')).toContain('16\u00a0GiB of 64\u00a0GiB (25%)');
    expect(text('node-swap')).toContain('0\u00a0B of 8\u00a0GiB (0%)');
    expect(text('node-ksm')).toBe('512\u00a0MiB');
    expect(summary.textContent).toContain('10\u00a0d 0\u00a0h');
    expect(summary.textContent).toContain('pve-manager/8.2.4/faa83925c9641325');
    expect(summary.textContent).toContain('Linux 6.8.12-1-pve');
    // Half full: no warning; 95 % full: the error level, said in words as well as colour.
    expect(storageRow('local')?.querySelector('.usage')?.getAttribute('data-level')).toBe('normal');
    expect(storageRow('local')?.textContent).toContain('50\u00a0GiB of 100\u00a0GiB (50%)');
    expect(storageRow('local-lvm')?.querySelector('.usage')?.getAttribute('data-level')).toBe('error');
    expect(storageRow('local-lvm')?.textContent).toContain('full');
    // Its three guests (VMs and the container), not pve2's.
    expect(byTestId('inventory-list').getAttribute('aria-rowcount')).toBe('4');
  });

  it('warns in words past 80 %, in English and in French with French units', async () => {
    fakeIpc.answer('inventory.nodeSummary', () => nodeSummary({ memory: { used: 54.5 * 1024 ** 3, total: 64 * 1024 ** 3 } }));
    await showNode();
    expect(byTestId('node-memory').dataset.level).toBe('warning');
    expect(text('node-memory')).toContain('nearly full');
    locale.value = 'fr';
    try {
      await flushPromises();
      expect(text('node-memory')).toMatch(/54,5\u00a0Gio sur 64\u00a0Gio \(85,2\s%\)/);
      expect(text('node-memory')).toContain('presque plein');
    } finally {
      locale.value = 'en';
    }
  });

  it('picks out the storage it was opened for', async () => {
    fakeIpc.answer('inventory.nodeSummary', () => nodeSummary());
    const scrolled = vi.fn();
    HTMLElement.prototype.scrollIntoView = scrolled;
    await showNode('local-lvm');
    expect(storageRow('local-lvm')?.dataset.highlighted).toBe('true');
    expect(storageRow('local-lvm')?.getAttribute('aria-current')).toBe('true');
    expect(storageRow('local')?.dataset.highlighted).toBe('false');
    expect(scrolled).toHaveBeenCalled();
  });

  it('asks again every few seconds and says what to do when the node does not answer', async () => {
    vi.useFakeTimers();
    fakeIpc.answer('inventory.nodeSummary', () => nodeSummary());
    await showNode();
    fakeIpc.answer('inventory.nodeSummary', () => {
      throw new IpcError('UNREACHABLE', 'pve1: no route to host');
    });
    await vi.advanceTimersByTimeAsync(summaryRefreshMs);
    expect(fakeIpc.callsOf('inventory.nodeSummary')).toHaveLength(2);
    // Not while the window is hidden.
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    await vi.advanceTimersByTimeAsync(3 * summaryRefreshMs);
    expect(fakeIpc.callsOf('inventory.nodeSummary')).toHaveLength(2);
    visibility.mockRestore();
    expect(text('summary-error')).toContain('The cluster could not be reached');
    expect(text('summary-error')).toContain('This view asks again every few seconds.');
    // The last figures stay.
    expect(exists('node-storages')).toBe(true);
  });

  it('names Sys.Audit when the account may not read the node', async () => {
    fakeIpc.answer('inventory.nodeSummary', () => {
      throw new IpcError('PERMISSION_DENIED', 'Permission check failed (/nodes/pve1, Sys.Audit)');
    });
    await showNode();
    expect(text('summary-error')).toContain('(Sys.Audit on /nodes/pve1)');
    expect(exists('node-storages')).toBe(false);
  });

  it('renders hostile storage and version strings as text', async () => {
    fakeIpc.answer('inventory.nodeSummary', () =>
      nodeSummary({
        kernel: '<img src=x onerror="window.hacked=1">',
        cpuModel: 'EPYC\u202Egpj.exe',
        storages: [{ storage: '<b>evil</b>', type: '<script>x</script>', content: ['images'], shared: true, active: true, enabled: true, used: 1, total: 2 }],
      }),
    );
    await showNode();
    const summary = byTestId('node-summary');
    expect(summary.querySelectorAll('img, script, b')).toHaveLength(0);
    expect(summary.textContent).toContain('<img src=x onerror="window.hacked=1">');
    expect(summary.textContent).toContain('EPYCgpj.exe');
    expect(summary.textContent).toContain('<b>evil</b>');
  });
});
