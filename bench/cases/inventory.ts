/**
 * The inventory in Chromium, through the web host and the app's real build,
 * against the lab's two clusters of 10 000 scale guests each, and the floor
 * it is judged against: the same guests in one plain `<table>` drawn by
 * hand-written DOM code (bench/inventory/plain-table.*), in a page of its own
 * in a second Chromium (so each trace and heap holds one page only).
 *
 * - First draw: from the first inventory page reaching the renderer to the
 *   first frame painted with every cluster applied and the list and tree
 *   showing rows (bench/inventory/app-probe.js says exactly where each mark
 *   is taken); the peer from holding the answers' text to its first frame.
 *   Each round reloads the app's page: the host holds both clusters' data
 *   already, so the renderer reads it all again.
 * - Refresh: root changes the tags of 1 % of the guests of each cluster
 *   through the API, as another administrator would; the longest task of the
 *   renderer's main thread from before the change until the app has painted
 *   both clusters' deltas (traced); the peer updates the same rows' cells.
 * - Heap: after 50 such refreshes, after a full collection; sampled every
 *   10 refreshes to judge whether it grows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { call, repoRoot, startLab, type LabReady, type RunningLab } from '../../lab/api/lab-harness';
import { launchChromium } from '../../e2e/support/browser';
import { buildApp } from '../../e2e/support/build-app';
import { connectLabProfile } from '../../e2e/support/lab-profile';
import { startTestHost, type TestHost } from '../../e2e/support/web-host';
import { cpuHotspots, heapAfterCollection, longestTask } from '../inventory/chromium-measures';
import { alternate, median, type BenchResult } from '../measure';

const guestsPerCluster = 10_000;
const changedPerCluster = guestsPerCluster / 100;
const refreshes = 50;
/** The heap is sampled every this many refreshes from this one on: the first ones still warm up (JIT code, the list's caches). */
const heapBaselineRefresh = 10;
/**
 * Growing: after a full collection the heap rose at every sample, by more than this in all. A leak
 * climbs steadily; what the collector leaves goes up and down. (A total alone, say "≤ 2 MiB", let a
 * steady 40 KiB a refresh pass: 1.4 GiB over a day of 3-s polls.)
 */
const heapNoiseMiB = 0.5;
const targets = { firstDrawRatio: 2, longTaskMs: 16, heapMiB: 150 };
const peerLabel = 'plain <table>, hand-written DOM';
const oursLabel = 'inventory list + tree';
const benchDir = join(repoRoot, 'bench/inventory');
const MiB = 1024 * 1024;

interface Resource {
  id: string;
  type: string;
  vmid?: number;
  node?: string;
  tags?: string;
}

interface Cluster {
  name: string;
  api: { api: string; ca: string };
  profileId: string;
  /** The guests whose tags each refresh changes: every hundredth. */
  changed: Resource[];
}

/** One cluster's answer as the peer receives it. */
interface ClusterAnswer {
  cluster: string;
  data: Resource[];
}

export async function inventoryResults(rounds: number): Promise<{ label: string; results: BenchResult[] }> {
  buildApp();
  const lab = await startLab(['--clusters', '2', '--guests', String(guestsPerCluster), '--onboot', '0'], 180_000);
  const host = await startTestHost();
  const browsers: Browser[] = [];
  try {
    const clusters = await connectClusters(lab, host);
    const answers = await Promise.all(clusters.map(async (cluster) => ({ cluster: cluster.name, data: await resources(lab.ready, cluster) })));
    const app = await openApp((browsers[0] = await launchChromium()), host, clusters.length);
    const peer = await openPeer((browsers[1] = await launchChromium()));
    const results = [await firstDraw(app, peer, JSON.stringify(answers), rounds)];
    const refresh = await refreshLoad(lab.ready, clusters, app, peer, rounds);
    results.push(refresh.longTask, refresh.heap);
    return { label: oursLabel, results };
  } finally {
    for (const browser of browsers) await browser.close();
    await host.close();
    await lab.stop();
  }
}

async function connectClusters(lab: RunningLab, host: TestHost): Promise<Cluster[]> {
  return Promise.all(
    lab.ready.clusters.map(async (cluster) => {
      const api = { api: cluster.api, ca: readFileSync(cluster.certificate, 'utf8') };
      const profileId = await connectLabProfile(host, cluster, lab.ready.accounts.root, `Lab cluster ${cluster.name}`);
      const guests = (await resources(lab.ready, { api })).filter((item) => item.type === 'qemu');
      const changed = guests.filter((_, index) => index % 100 === 0).slice(0, changedPerCluster);
      return { name: cluster.name, api, profileId, changed };
    }),
  );
}

async function resources(ready: LabReady, cluster: Pick<Cluster, 'api'>): Promise<Resource[]> {
  const answer = await call(cluster.api, 'GET', '/cluster/resources', { auth: { token: ready.accounts.token.value } });
  if (answer.status !== 200) throw new Error(`GET /cluster/resources: ${answer.status} ${answer.statusMessage}`);
  return answer.body.data as Resource[];
}

/**
 * Resolves once `expression` is true in the page. Evaluated through the DevTools protocol, every
 * 50 ms: Playwright's waitForFunction compiles it inside the page, which the app's CSP refuses.
 */
async function until(page: Page, expression: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await page.evaluate(expression)) !== true) {
    if (Date.now() > deadline) throw new Error(`not true after ${timeoutMs} ms: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface AppPage {
  page: Page;
  session: CDPSession;
  browser: Browser;
}

async function openApp(browser: Browser, host: TestHost, clusters: number): Promise<AppPage> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
  const probe = readFileSync(join(benchDir, 'app-probe.js'), 'utf8');
  await page.addInitScript({ content: `${probe}\nwindow.__inventoryProbe.expectedClusters = ${clusters};` });
  await page.goto(host.launchUrl);
  await until(page, 'window.__inventoryProbe.drawnAt !== undefined', 180_000);
  return { page, session: await page.context().newCDPSession(page), browser };
}

async function openPeer(browser: Browser): Promise<AppPage> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
  await page.goto(pathToFileURL(join(benchDir, 'plain-table.html')).href);
  return { page, session: await page.context().newCDPSession(page), browser };
}

/** The app's first draw, page reloaded: the host answers from what it holds, so only the renderer's work and the IPC are timed. */
async function appFirstDraw(app: AppPage): Promise<number> {
  await app.page.reload();
  await until(app.page, 'window.__inventoryProbe.drawnAt !== undefined', 180_000);
  return Number(await app.page.evaluate('window.__inventoryProbe.drawnAt - window.__inventoryProbe.dataAt'));
}

async function firstDraw(app: AppPage, peer: AppPage, answers: string, rounds: number): Promise<BenchResult> {
  const medians = await alternate(
    () => appFirstDraw(app),
    async () => Number(await peer.page.evaluate(`drawPlainTable(${JSON.stringify(answers)})`)),
    rounds,
  );
  const [oursRows, peerRows] = await Promise.all([
    app.page.evaluate(
      `document.querySelector('#app').__vue_app__.config.globalProperties.$pinia._s.get('inventory').entries().filter((entry) => entry.item.type === 'qemu').length`,
    ),
    peer.page.evaluate('plainTableRows()'),
  ]);
  console.log(`  first draw: ${String(oursRows)} guests in the app's store, ${String(peerRows)} rows in the plain table`);
  const ratio = medians.ours / medians.peer;
  const result: BenchResult = {
    name: `Inventory first draw (${String(peerRows)} guests, 2 clusters)`,
    ours: `${medians.ours.toFixed(0)} ms`,
    peer: `${medians.peer.toFixed(0)} ms`,
    peerLabel,
    ratio,
    maxRatio: targets.firstDrawRatio,
    pass: ratio <= targets.firstDrawRatio,
  };
  if (!result.pass) await printHotspots('first draw', app, () => appFirstDraw(app).then(() => undefined));
  return result;
}

/** Sets new tags on every cluster's `changed` guests through the API (ten calls at a time); returns the changed items as the peer receives them. */
async function changeTags(ready: LabReady, clusters: Cluster[], tag: string): Promise<ClusterAnswer[]> {
  const auth = { token: ready.accounts.token.value };
  const tags = `scale;${tag}`;
  return Promise.all(
    clusters.map(async (cluster) => {
      const queue = [...cluster.changed];
      const put = async (): Promise<void> => {
        for (let guest = queue.shift(); guest !== undefined; guest = queue.shift()) {
          const answer = await call(cluster.api, 'PUT', `/nodes/${guest.node ?? ''}/qemu/${String(guest.vmid)}/config`, { auth, params: { tags } });
          if (answer.status !== 200) throw new Error(`PUT tags of ${guest.id}: ${answer.status} ${answer.statusMessage}`);
        }
      };
      await Promise.all(Array.from({ length: 10 }, put));
      return { cluster: cluster.name, data: cluster.changed.map((guest) => ({ ...guest, tags })) };
    }),
  );
}

/** Makes the app's probe count the entries that arrive with `tag`; the tag of this refresh. */
async function expectTag(app: AppPage, refresh: number): Promise<string> {
  const tag = `bench-${refresh}`;
  await app.page.evaluate(`window.__inventoryProbe.expectTag = '${tag}'; window.__inventoryProbe.tagged = {};`);
  return tag;
}

/** Resolves once the app has applied every changed guest of every cluster and painted the last change. */
async function appApplied(app: AppPage, clusters: Cluster[]): Promise<void> {
  const expected = Object.fromEntries(clusters.map((cluster) => [cluster.profileId, cluster.changed.length]));
  await until(
    app.page,
    `(() => { const probe = window.__inventoryProbe; const expected = ${JSON.stringify(expected)};
      return Object.entries(expected).every(([id, count]) => (probe.tagged[id] ?? 0) >= count) && probe.appliedAt >= probe.lastChangeAt; })()`,
    60_000,
  );
}

/** One refresh as another administrator causes it: new tags on 1 % of each cluster's guests, until the app has painted them. */
async function refreshApp(ready: LabReady, clusters: Cluster[], app: AppPage, refresh: number): Promise<ClusterAnswer[]> {
  const tag = await expectTag(app, refresh);
  const changes = await changeTags(ready, clusters, tag);
  await appApplied(app, clusters);
  return changes;
}

async function refreshLoad(
  ready: LabReady,
  clusters: Cluster[],
  app: AppPage,
  peer: AppPage,
  rounds: number,
): Promise<{ longTask: BenchResult; heap: BenchResult }> {
  const oursTasks: number[] = [];
  const peerTasks: number[] = [];
  const heaps: { ours: number[]; peer: number[] } = { ours: [], peer: [] };
  for (let refresh = 1; refresh <= refreshes; refresh++) {
    // Input keeps the app "active", so the host keeps polling every 3 s.
    await app.page.mouse.move(600 + (refresh % 2), 400);
    const traced = refresh > refreshes - rounds;
    let changes: ClusterAnswer[] = [];
    const refreshOurs = async (): Promise<void> => {
      changes = await refreshApp(ready, clusters, app, refresh);
    };
    if (traced) oursTasks.push(await longestTask(app.browser, app.page, refreshOurs));
    else await refreshOurs();
    const refreshPeer = async (): Promise<void> => {
      await peer.page.evaluate(`applyPlainChanges(${JSON.stringify(JSON.stringify(changes))})`);
    };
    if (traced) peerTasks.push(await longestTask(peer.browser, peer.page, refreshPeer));
    else await refreshPeer();
    if (refresh >= heapBaselineRefresh && refresh % heapBaselineRefresh === 0) {
      heaps.ours.push(await heapAfterCollection(app.session));
      heaps.peer.push(await heapAfterCollection(peer.session));
    }
  }
  const ours = median(oursTasks);
  const peerTask = median(peerTasks);
  console.log(
    `  refresh: longest task per refresh, ours ${oursTasks.map((ms) => ms.toFixed(1)).join(' ')} ms; peer ${peerTasks.map((ms) => ms.toFixed(1)).join(' ')} ms`,
  );
  const longTask: BenchResult = {
    name: `Inventory refresh, ${changedPerCluster} guests of each cluster changed: longest main-thread task (median of ${oursTasks.length})`,
    ours: `${ours.toFixed(1)} ms`,
    peer: `${peerTask.toFixed(1)} ms`,
    peerLabel,
    ratio: ours / peerTask,
    limit: `≤ ${targets.longTaskMs} ms`,
    pass: ours <= targets.longTaskMs,
  };
  if (!longTask.pass) {
    await printHotspots('refresh', app, () => refreshApp(ready, clusters, app, refreshes + 1).then(() => undefined));
  }
  const [oursBase = 0] = heaps.ours;
  const [peerBase = 0] = heaps.peer;
  const oursEnd = heaps.ours.at(-1) ?? 0;
  const peerEnd = heaps.peer.at(-1) ?? 0;
  const series = (bytes: number[]) => bytes.map((each) => (each / MiB).toFixed(1)).join(' ');
  console.log(`  heap every ${heapBaselineRefresh} refreshes (MiB): ours ${series(heaps.ours)}; peer ${series(heaps.peer)}`);
  const growth = (oursEnd - oursBase) / MiB;
  const growing = growth > heapNoiseMiB && heaps.ours.every((bytes, index) => index === 0 || bytes > (heaps.ours[index - 1] ?? 0));
  const heap: BenchResult = {
    name: `Inventory renderer JS heap after ${refreshes} refreshes (growth since refresh ${heapBaselineRefresh}: ${growth.toFixed(2)} MiB; peer ${((peerEnd - peerBase) / MiB).toFixed(2)} MiB)`,
    ours: `${(oursEnd / MiB).toFixed(1)} MiB`,
    peer: `${(peerEnd / MiB).toFixed(1)} MiB`,
    peerLabel,
    ratio: oursEnd / peerEnd,
    limit: `≤ ${targets.heapMiB} MiB and not rising at every sample${growing ? ': it does' : ''}`,
    pass: oursEnd / MiB <= targets.heapMiB && !growing,
  };
  return { longTask, heap };
}

/** Where the renderer's time went during `during`: printed when a target is missed, so the figure comes with what to fix. */
async function printHotspots(what: string, app: AppPage, during: () => Promise<void>): Promise<void> {
  const lines = await cpuHotspots(app.session, during);
  console.log(`  ${what}: the renderer's CPU time by function (self time, sampled):\n${lines.map((line) => `    ${line}`).join('\n')}`);
}
