/**
 * What the inventory bench reads from Chromium through the DevTools
 * protocol: the longest task of a page's main thread (a trace: the
 * PerformanceObserver's long tasks start at 50 ms, the target is 16), the JS
 * heap after a full collection, and where the CPU time went (a sampled
 * profile), to say what to fix when a target is missed.
 */
import type { Browser, CDPSession, Page } from 'playwright-core';

/** The trace categories that hold each main-thread task of the renderer as one complete event. */
const taskCategories = ['toplevel', 'disabled-by-default-devtools.timeline'];
const taskEventNames = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  args?: { name?: string };
}

/**
 * Runs `during` while tracing `page`'s browser; resolves with the longest
 * task (ms) of the busiest renderer main thread, which is the page's when it
 * is the only page of its browser.
 */
export async function longestTask(browser: Browser, page: Page, during: () => Promise<void>): Promise<number> {
  await browser.startTracing(page, { categories: taskCategories });
  let trace: Buffer;
  try {
    await during();
  } finally {
    trace = await browser.stopTracing();
  }
  const { traceEvents } = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] };
  const rendererMains = new Set(
    traceEvents
      .filter((event) => event.ph === 'M' && event.name === 'thread_name' && event.args?.name === 'CrRendererMain')
      .map((event) => `${event.pid}:${event.tid}`),
  );
  const busy = new Map<string, { total: number; longest: number }>();
  for (const event of traceEvents) {
    const thread = `${event.pid}:${event.tid}`;
    if (event.ph !== 'X' || !taskEventNames.has(event.name) || !rendererMains.has(thread)) continue;
    const ms = (event.dur ?? 0) / 1000;
    const seen = busy.get(thread) ?? { total: 0, longest: 0 };
    busy.set(thread, { total: seen.total + ms, longest: Math.max(seen.longest, ms) });
  }
  const busiest = [...busy.values()].sort((a, b) => b.total - a.total)[0];
  if (busiest === undefined) throw new Error('the trace holds no renderer task: were the trace categories renamed?');
  return busiest.longest;
}

/** The page's JS heap in use (bytes) after a full garbage collection. */
export async function heapAfterCollection(session: CDPSession): Promise<number> {
  await session.send('HeapProfiler.collectGarbage');
  const { usedSize } = await session.send('Runtime.getHeapUsage');
  return usedSize;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** Runs `during` under the sampling profiler; resolves with the functions that took the most time themselves, as lines to print. */
export async function cpuHotspots(session: CDPSession, during: () => Promise<void>, top = 10): Promise<string[]> {
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 200 });
  await session.send('Profiler.start');
  let stopped: { profile: { nodes: unknown[]; samples?: number[]; timeDeltas?: number[] } };
  try {
    await during();
  } finally {
    stopped = await session.send('Profiler.stop');
  }
  const { profile } = stopped;
  const nodes = new Map((profile.nodes as ProfileNode[]).map((node) => [node.id, node]));
  const selfMs = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, index) => {
    const frame = nodes.get(id)?.callFrame;
    if (frame === undefined) return;
    const file = frame.url.split('/').pop() ?? '';
    const where = `${frame.functionName || '(anonymous)'} ${file}${file ? `:${frame.lineNumber + 1}` : ''}`;
    selfMs.set(where, (selfMs.get(where) ?? 0) + (deltas[index] ?? 0) / 1000);
  });
  const total = [...selfMs.values()].reduce((sum, ms) => sum + ms, 0);
  return [...selfMs]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, ms]) => `${ms.toFixed(1).padStart(8)} ms ${((ms / total) * 100).toFixed(1).padStart(5)} %  ${where}`);
}
