/**
 * Test harness: starts the lab as a child process exactly as outside tests
 * do (`tsx lab/main.ts`), reads the `LAB READY` line, and offers a small
 * HTTPS client that trusts the lab's own certificate (no verification bypass).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface LabReady {
  clusters: {
    name: string;
    api: string;
    fingerprint: string;
    /** The cluster CA's PEM file: trusting it trusts every node. */
    certificate: string;
    ca: { path: string; fingerprint: string };
    proxy: string;
    nodes: { name: string; api: string; fingerprint: string; ssh: { host: string; port: number; user: string; key: string; hostKeyFingerprint: string } }[];
  }[];
  accounts: {
    root: { userid: string; password: string };
    admin: { userid: string; password: string };
    user: { userid: string; password: string; pool: string; vmids: number[] };
    tfa: { userid: string; password: string; totpSecret: string; recoveryKeys: string[] };
    token: { tokenid: string; secret: string; value: string };
  };
  /** root's password inside the Linux guests. */
  guestPassword: string;
  stateDir: string;
  pid: number;
  startupMs: number;
}

export interface RunningLab {
  ready: LabReady;
  process: ChildProcess;
  stderr: () => string;
  ca: string;
  api: string;
  /** Moves the lab's ticket clock forward (the lab must be started with `--clock-control`). */
  advanceClock(seconds: number): Promise<void>;
  stop(): Promise<void>;
}

/** PVE delays every refused authentication by 3 s; tests keep the delay but short, so the suite stays fast (`args` may set another). */
export const TEST_AUTH_DELAY_MS = 50;
/** Likewise for calls proxied to an offline node (PVE: ~3 s before its 595). */
export const TEST_UNREACHABLE_DELAY_MS = 300;

/** The lab's cluster (it starts one): what a test connects to. */
export function firstCluster(ready: LabReady): LabReady['clusters'][number] {
  const cluster = ready.clusters[0];
  if (!cluster) throw new Error('no cluster in LAB READY');
  return cluster;
}

export async function startLab(args: string[], timeoutMs = 60_000): Promise<RunningLab> {
  const state = mkdtempSync(join(tmpdir(), 'pvelab-test-'));
  const child = spawn(
    process.execPath,
    [
      join(repoRoot, 'node_modules/tsx/dist/cli.mjs'),
      join(repoRoot, 'lab/main.ts'),
      '--port',
      '0',
      '--state',
      state,
      '--auth-delay-ms',
      String(TEST_AUTH_DELAY_MS),
      '--unreachable-delay-ms',
      String(TEST_UNREACHABLE_DELAY_MS),
      ...args,
    ],
    {
      cwd: repoRoot,
      // stdin carries `--clock-control` commands.
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = await new Promise<LabReady>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`lab not ready after ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('LAB READY '));
      if (line && stdout.includes('\n')) {
        clearTimeout(timer);
        resolveReady(JSON.parse(line.slice('LAB READY '.length)) as LabReady);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`lab exited with ${code}:\n${stderr}`));
    });
  });
  const cluster = firstCluster(ready);
  return {
    ready,
    process: child,
    stderr: () => stderr,
    ca: readFileSync(cluster.certificate, 'utf8'),
    api: cluster.api,
    async advanceClock(seconds) {
      const answer = `CLOCK ADVANCED ${seconds}\n`;
      const before = stdout.length;
      child.stdin?.write(`advance-clock ${seconds}\n`);
      await new Promise<void>((resolveAdvanced, reject) => {
        const timer = setTimeout(() => reject(new Error('the lab did not advance its clock: was it started with --clock-control?')), 5_000);
        const onData = (): void => {
          if (!stdout.slice(before).includes(answer)) return;
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          resolveAdvanced();
        };
        child.stdout?.on('data', onData);
      });
    },
    async stop() {
      // A guest's QEMU that ended on its own (a signal, an error) while the lab ran explains a test that found it stopped.
      const unexpected = stderr.split('\n').filter((line) => /: qemu \d+ exited \((?!code 0\))/.test(line));
      if (unexpected.length > 0) console.log(`lab: guests whose QEMU ended on its own:\n${unexpected.join('\n')}`);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(state, { recursive: true, force: true });
    },
  };
}

export interface ApiResponse {
  status: number;
  statusMessage: string;
  /** The body as sent: PVE's authentication refusals send none (then `body.data` is undefined). */
  text: string;
  body: { data: unknown; message?: string; errors?: Record<string, string>; total?: number } & Record<string, unknown>;
}

export interface Credentials {
  ticket?: string;
  csrf?: string;
  token?: string;
}

/** One API call with PVE's auth headers; bodies form-urlencoded (or raw). */
export function call(
  lab: { api: string; ca: string },
  method: string,
  path: string,
  options: { auth?: Credentials; params?: Record<string, string | number>; json?: boolean; baseUrl?: string } = {},
): Promise<ApiResponse> {
  const url = new URL(`${options.baseUrl ?? lab.api}/api2/json${path}`);
  const headers: Record<string, string> = {};
  const auth = options.auth ?? {};
  if (auth.token) headers.Authorization = `PVEAPIToken=${auth.token}`;
  if (auth.ticket) headers.Cookie = `PVEAuthCookie=${encodeURIComponent(auth.ticket)}`;
  if (auth.csrf) headers.CSRFPreventionToken = auth.csrf;
  let body: string | undefined;
  const params = Object.fromEntries(Object.entries(options.params ?? {}).map(([k, v]) => [k, String(v)]));
  if (method === 'GET' || method === 'DELETE') for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  else if (options.json) {
    body = JSON.stringify(params);
    headers['Content-Type'] = 'application/json';
  } else {
    body = new URLSearchParams(params).toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  return new Promise((resolveCall, reject) => {
    const req = httpsRequest(url, { method, headers, ca: lab.ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        const answer = { status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', text };
        if (text === '') return resolveCall({ ...answer, body: { data: undefined } });
        try {
          resolveCall({ ...answer, body: JSON.parse(text) as ApiResponse['body'] });
        } catch {
          reject(new Error(`not JSON (${res.statusCode}): ${text.slice(0, 200)}`));
        }
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function login(
  lab: { api: string; ca: string },
  username: string,
  password: string,
): Promise<Credentials & { cap: Record<string, Record<string, number>> }> {
  const res = await call(lab, 'POST', '/access/ticket', { params: { username, password } });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.statusMessage}`);
  const data = res.body.data as { ticket: string; CSRFPreventionToken: string; cap: Record<string, Record<string, number>> };
  return { ticket: data.ticket, csrf: data.CSRFPreventionToken, cap: data.cap };
}

/** Polls a task until it stops; returns its final status and log. */
export async function waitTask(
  lab: { api: string; ca: string },
  auth: Credentials,
  upid: string,
  timeoutMs = 60_000,
): Promise<{ exitstatus: string; log: string[] }> {
  const node = upid.split(':')[1] ?? '';
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(lab, 'GET', `/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`, { auth });
    const data = res.body.data as { status: string; exitstatus?: string };
    if (data.status === 'stopped') {
      const log = await call(lab, 'GET', `/nodes/${node}/tasks/${encodeURIComponent(upid)}/log`, { auth, params: { limit: 10000 } });
      return { exitstatus: data.exitstatus ?? '', log: (log.body.data as { t: string }[]).map((l) => l.t) };
    }
    if (Date.now() > deadline) throw new Error(`task ${upid} still running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Polls `probe` until it gives a value (not undefined); fails naming `what` after timeoutMs. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not seen after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
