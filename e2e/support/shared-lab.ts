/**
 * The one lab of the end-to-end project: the global setup starts it once
 * (two clusters, no guest running) and hands its LAB READY answer to every
 * file through vitest's provide/inject. A file that changes the lab (starts
 * a guest, sets a fault, adds hostile data) puts it back in its afterAll, so
 * the next file finds it as it started.
 */
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import type { LabReady } from '../../lab/api/lab-harness';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared lab's LAB READY answer. */
    lab: LabReady;
  }
}

/** One cluster's API as the harness's `call` and `login` take it: its address and the CA its certificates chain to. */
export interface ClusterApi {
  api: string;
  ca: string;
}

export interface SharedLab extends ClusterApi {
  ready: LabReady;
  /** Each cluster's API, in LAB READY's order (lab1, lab2). */
  apis: ClusterApi[];
}

/** The shared lab as the current test file sees it; `api` and `ca` are the first cluster's. */
export function sharedLab(): SharedLab {
  const ready = inject('lab');
  const apis = ready.clusters.map((cluster) => ({ api: cluster.api, ca: readFileSync(cluster.certificate, 'utf8') }));
  const [first] = apis;
  if (first === undefined) throw new Error('the shared lab has no cluster');
  return { ready, apis, ...first };
}
