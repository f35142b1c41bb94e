/**
 * The lab as real outside clients see it: remote-viewer (spice-gtk) opening
 * the .vv file PVE's web UI builds from a spiceproxy answer, on a private
 * Xvfb screen. (python3-proxmoxer is exercised in main.test.ts.)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, repoRoot, startLab, waitFor, type Credentials, type RunningLab } from './api/lab-harness';

const screenshots = join(repoRoot, 'test-output/screenshots');

/**
 * The colour of the guest's console text: VGA attribute 7 through the 6-bit
 * DAC (0x2A << 2). GTK's theme never paints it, so its pixels on the screen
 * can only come from the guest's display.
 */
const VGA_TEXT_GREY = 'A8A8A8';

let lab: RunningLab;
let auth: Credentials;
let work: string;

beforeAll(async () => {
  lab = await startLab([]);
  auth = { token: lab.ready.accounts.token.value };
  work = mkdtempSync(join(tmpdir(), 'pvelab-viewer-'));
  mkdirSync(screenshots, { recursive: true });
}, 90_000);

afterAll(async () => {
  await lab?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const stubborn = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(stubborn);
}

/** A 1024x768 Xvfb; `-displayfd` lets it pick a free display number, so parallel runs never collide. */
async function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const displayfd = child.stdio[3] as Readable;
  let written = '';
  const display = await new Promise<string>((resolve, reject) => {
    displayfd.on('data', (chunk: Buffer) => {
      written += chunk.toString();
      if (written.includes('\n')) resolve(`:${written.trim()}`);
    });
    child.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}: ${stderr}`)));
  });
  return { display, process: child };
}

/** remote-viewer with --debug: its log says which SPICE channels opened and why a connection failed. */
function startViewer(display: string, file: string): { process: ChildProcess; log: () => string } {
  const child = spawn('remote-viewer', ['--debug', file], {
    env: { ...process.env, DISPLAY: display, GDK_BACKEND: 'x11', NO_AT_BRIDGE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  return { process: child, log: () => log };
}

async function spiceAnswer(): Promise<Record<string, string | number>> {
  const res = await call(lab, 'POST', '/nodes/pve2/qemu/101/spiceproxy', { auth, params: { proxy: '127.0.0.1' } });
  expect(res.status).toBe(200);
  // The answer names the lab's proxy where it listens (PVE: port 3128), as the .vv file PVE's UI offers.
  const answer = res.body.data as Record<string, string | number>;
  expect(answer.proxy).toBe(lab.ready.clusters[0]?.proxy);
  return answer;
}

/** The .vv file PVE's UI offers for download: the answer's keys under `[virt-viewer]`, `ca` still with literal `\n`. */
function writeViewerFile(name: string, answer: Record<string, string | number>): string {
  const path = join(work, name);
  writeFileSync(
    path,
    `[virt-viewer]\n${Object.entries(answer)
      .map(([key, value]) => `${key}=${value}\n`)
      .join('')}`,
    { mode: 0o600 },
  );
  return path;
}

function screenshot(display: string, path: string): string {
  execFileSync('import', ['-display', display, '-window', 'root', path]);
  return path;
}

function pixelsOfColour(png: string, hex: string): number {
  const histogram = execFileSync('convert', [png, '-format', '%c', 'histogram:info:-'], { encoding: 'utf8' });
  const line = histogram.split('\n').find((l) => l.includes(`#${hex} `) || l.endsWith(`#${hex}`));
  return Number(/^\s*(\d+):/.exec(line ?? '')?.[1] ?? 0);
}

function standardDeviation(png: string): number {
  return Number(execFileSync('convert', [png, '-format', '%[fx:standard_deviation]', 'info:'], { encoding: 'utf8' }));
}

function windowTitles(display: string): string {
  return execFileSync('xwininfo', ['-display', display, '-root', '-tree'], { encoding: 'utf8' });
}

/** Runs remote-viewer on its own screen for one .vv file, then stops both. */
async function withViewer(file: string, body: (screen: { display: string; log: () => string }) => Promise<void>): Promise<void> {
  const xvfb = await startXvfb();
  const viewer = startViewer(xvfb.display, file);
  try {
    await body({ display: xvfb.display, log: viewer.log });
  } finally {
    await stopProcess(viewer.process);
    await stopProcess(xvfb.process);
  }
}

describe('remote-viewer through the spiceproxy CONNECT proxy', () => {
  it('opens the .vv file of a spiceproxy answer and shows the guest screen', async () => {
    const answer = await spiceAnswer();
    const file = writeViewerFile('vm101.vv', answer);
    const labLogBefore = lab.stderr().length;
    await withViewer(file, async ({ display, log }) => {
      const png = join(screenshots, 'lab-remote-viewer-spice.png');
      // The guest may still be in SeaBIOS or booting: wait until its console text is on the screen.
      const textPixels = await waitFor(
        'the guest console inside remote-viewer',
        () => {
          const count = pixelsOfColour(screenshot(display, png), VGA_TEXT_GREY);
          return count > 200 ? count : undefined;
        },
        60_000,
        1000,
      );
      console.log(`remote-viewer screenshot: ${png}, ${textPixels} guest text pixels, standard deviation ${standardDeviation(png).toFixed(3)}`);
      expect(standardDeviation(png)).toBeGreaterThan(0.02);
      expect(log()).toContain('creating spice display');
      expect(windowTitles(display)).toContain(String(answer.title));
      expect(lab.stderr().slice(labLogBefore)).toContain(`spiceproxy: VM 101 on pve2: channel connected to port ${answer['tls-port']}`);
    });
  }, 120_000);

  it.each([
    {
      refusal: 'wrong-password',
      tamper: (answer: Record<string, string | number>) => ({ ...answer, password: 'not-the-ticket' }),
      // The proxy ticket is good, so the CONNECT goes through and QEMU's SPICE server rejects the password.
      viewerSays: 'main channel: auth failure',
      labSays: 'spiceproxy: VM 101 on pve2: channel connected',
    },
    {
      refusal: 'forged-proxy-ticket',
      tamper: (answer: Record<string, string | number>) => ({ ...answer, host: String(answer.host).replace(/.$/, (digit) => (digit === '0' ? '1' : '0')) }),
      viewerSays: 'HTTP proxy connection failed: 401',
      labSays: 'spiceproxy: refused CONNECT: invalid proxy ticket (bad signature)',
    },
  ])(
    'fails to connect with a $refusal and shows no guest screen',
    async ({ refusal, tamper, viewerSays, labSays }) => {
      const file = writeViewerFile(`${refusal}.vv`, tamper(await spiceAnswer()));
      const labLogBefore = lab.stderr().length;
      await withViewer(file, async ({ display, log }) => {
        await waitFor(`remote-viewer reporting "${viewerSays}"`, () => (log().includes(viewerSays) ? true : undefined), 30_000);
        const png = screenshot(display, join(screenshots, `lab-remote-viewer-spice-${refusal}.png`));
        expect(pixelsOfColour(png, VGA_TEXT_GREY)).toBe(0);
        expect(log()).not.toContain('creating spice display');
        expect(lab.stderr().slice(labLogBefore)).toContain(labSays);
      });
    },
    60_000,
  );
});
