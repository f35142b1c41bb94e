/* global window, document, performance, requestAnimationFrame, setTimeout */
/**
 * Added to the app's page before its own scripts (the DevTools protocol's
 * "evaluate on new document", which the app's CSP does not cover), it marks
 * the two ends of the inventory's first draw on the page's own clock:
 *
 * - `dataAt`: when the first inventory page reaches the renderer. The host
 *   already holds both clusters' `/cluster/resources` answers; the renderer
 *   reads them over IPC in pages of up to 2 000 items (~600 KB), the only
 *   messages over 100 KB. A WebSocket message listener added here runs before
 *   the app's own, so the mark is taken as the bytes arrive, before any of
 *   the app's work (JSON parse included).
 * - `drawnAt`: the first frame painted once the inventory store has applied
 *   every cluster's full read (its public `onChange`, `reset`) and the list
 *   and the tree show guests.
 *
 * For the refreshes, `tagged` counts per cluster the entries the store's
 * incremental changes brought with the tag the bench set (`expectTag`), and
 * `appliedAt` is the first frame painted after the last change (`lastChangeAt`).
 */
'use strict';

(() => {
  const bigMessage = 100_000;
  const probe = {
    dataAt: undefined,
    drawnAt: undefined,
    resets: new Set(),
    expectedClusters: 0,
    expectTag: undefined,
    tagged: {},
    lastChangeAt: 0,
    appliedAt: 0,
  };
  // The bench sets expectedClusters right after this script, in the same addition.
  window.__inventoryProbe = probe;

  function afterPaint(mark) {
    requestAnimationFrame(() => setTimeout(mark, 0));
  }

  function inventoryStore() {
    const app = document.querySelector('#app')?.__vue_app__;
    return app?.config.globalProperties.$pinia?._s.get('inventory');
  }

  function tagsOf(item) {
    return Array.isArray(item.tags) ? item.tags : String(item.tags ?? '').split(';');
  }

  /** The list and the tree (open down to the guests at first) both show guests. */
  function drawn() {
    return document.querySelector('[data-testid="inventory-row"]') !== null && document.querySelector('[data-testid="tree-item"]') !== null;
  }

  function waitForDraw() {
    if (drawn()) afterPaint(() => (probe.drawnAt = performance.now()));
    else requestAnimationFrame(waitForDraw);
  }

  let listening = false;
  function listen() {
    const store = inventoryStore();
    if (listening || store === undefined) return;
    listening = true;
    store.onChange((change) => {
      if (change.reset) {
        probe.resets.add(change.profileId);
        if (probe.resets.size === probe.expectedClusters && probe.drawnAt === undefined) requestAnimationFrame(waitForDraw);
        return;
      }
      const tagged = change.upserted.filter((entry) => tagsOf(entry.item).includes(probe.expectTag)).length;
      probe.tagged[change.profileId] = (probe.tagged[change.profileId] ?? 0) + tagged;
      probe.lastChangeAt = performance.now();
      afterPaint(() => (probe.appliedAt = performance.now()));
    });
  }

  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        listen();
        if (probe.dataAt === undefined && typeof event.data === 'string' && event.data.length > bigMessage) probe.dataAt = performance.now();
      });
    }
  };
})();
