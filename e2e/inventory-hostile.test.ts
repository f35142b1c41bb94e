import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppSession, type AppSession } from './support/app-session';
import { listedGuests, row, searchList, treeItems } from './support/inventory-page';
import { connectLabProfile } from './support/lab-profile';
import { sharedLab } from './support/shared-lab';
import { call, firstCluster } from '../lab/api/lab-harness';

/** Each payload, if it ever ran, would set `window.__pwned` or open a dialog; none may. */
const markup = `<img src=x onerror="window.__pwned='name'"><script>window.__pwned='script'</script>`;
const hostileName = `${markup}dc01`;
const bidiName = `\u202Egnp.exe\u202C\u0007\u001b[31mprint01\u0000`;
const hostileNotes = [
  '# Notes',
  '[plain link](javascript:window.__pwned="markdown-link")',
  '<a href="javascript:alert(1)">html link</a> <a href=" JaVaScRiPt:alert(2)">spaced link</a>',
  '<img src=x onerror="alert(3)"> <svg onload="alert(4)"></svg> <iframe srcdoc="<script>alert(5)</script>"></iframe>',
  '<script>alert(6)</script>',
  '<form action="javascript:alert(7)"><button>send</button></form>',
].join('\n\n');
const longNotes = `# Long\n\n${'A hundred thousand characters of notes. '.repeat(2500)}`;
const hostileTags = `<b>bold</b>;\u202Ereversed\u202C;bell\u0007`;
const hostileComment = `<img src=x onerror=alert(8)> [pool](javascript:alert(9)) \u202Eevil`;
/** Items a broken PVE could send: a field missing, fields of the wrong type, a node named with markup. */
const malformedItems = [
  { id: 'qemu/7777', type: 'qemu', vmid: 'seven', node: 'pve1', name: { html: markup }, status: 7 },
  { type: 'qemu', vmid: 7778, node: 'pve1', status: 'running' },
  { id: 'qemu/7779', type: 'qemu', vmid: 7779, node: 'pve1', status: 'running', maxmem: 'lots', tags: ['not', 'a', 'string'] },
  { id: 'node/<img src=x onerror=alert(10)>', type: 'node', node: '<img src=x onerror=alert(10)>', status: 'online' },
];

/** Bidi overrides and isolates, and the control characters the payloads hold: none may reach the page's text. */
const unsafeCharacters = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u0000', '\u0007', '\u001b'];
function unsafeIn(text: string | null): string[] {
  return unsafeCharacters.filter((character) => (text ?? '').includes(character)).map((character) => `U+${(character.codePointAt(0) ?? 0).toString(16)}`);
}

/** What would show that markup became DOM: handlers, `javascript:` URLs, frames, the payload's image. */
function parsedMarkup(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const element of Array.from(document.querySelectorAll('*'))) {
      for (const attribute of Array.from(element.attributes)) {
        if (/^on/i.test(attribute.name)) found.push(`${element.tagName} ${attribute.name}`);
        if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(attribute.name) && /^\s*javascript:/i.test(attribute.value))
          found.push(`${element.tagName} ${attribute.name}=${attribute.value}`);
      }
    }
    for (const element of Array.from(document.querySelectorAll('img[src="x"], iframe, object, embed, form, svg[onload]')))
      found.push(element.outerHTML.slice(0, 80));
    return found;
  });
}

/**
 * Hostile and broken data from the first lab cluster (the lab's hostile
 * switch writes it past PVE's validation), shown to root in Chromium: it
 * renders as text or is skipped, never runs, and the views keep working.
 */
describe('hostile and broken inventory data in Chromium, against the lab', () => {
  const lab = sharedLab();
  const auth = { token: lab.ready.accounts.token.value };
  const dialogs: string[] = [];
  let profileId: string;
  let app: AppSession;
  let page: Page;

  const keyOf = (vmid: number) => `${profileId}:qemu/${vmid}`;
  const hostile = (params: Record<string, string | number>) => call(lab, 'POST', '/lab/hostile', { auth, params, json: true });
  const open = async (route: string, testId: string) => {
    await page.goto(new URL(`#/inventory/${profileId}/${route}`, page.url()).href);
    await page.getByTestId(testId).waitFor({ timeout: 15_000 });
  };

  async function expectInert(): Promise<void> {
    expect(await parsedMarkup(page)).toEqual([]);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
  }

  beforeAll(async () => {
    const values: Record<string, string | number>[] = [
      { vmid: 110, name: hostileName },
      { vmid: 111, name: bidiName, description: hostileNotes },
      { vmid: 112, description: longNotes, tags: hostileTags },
      { poolid: 'services', comment: hostileComment },
      { resources: JSON.stringify(malformedItems) },
    ];
    for (const params of values) {
      const answer = await hostile(params);
      expect(answer.status, `${answer.statusMessage} ${JSON.stringify(answer.body.errors)}`).toBe(200);
    }
    app = await openAppSession();
    page = app.page;
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    profileId = await connectLabProfile(app.host, firstCluster(lab.ready), lab.ready.accounts.root, 'Hostile lab');
    await page.goto(new URL('#/inventory', page.url()).href);
    await page.getByTestId('inventory-row').first().waitFor();
  });

  afterAll(async () => {
    await app?.close();
    await hostile({ clear: 1 });
  });

  it('lists hostile names as text, without bidi or control characters, and skips the malformed items', async () => {
    const listed = await listedGuests(page);
    expect(listed.has(keyOf(110))).toBe(true);
    for (const vmid of [7777, 7778, 7779]) expect(listed.has(keyOf(vmid))).toBe(false);
    await searchList(page, 'dc01');
    expect(await row(page, keyOf(110)).textContent()).toContain('<img src=x');
    await searchList(page, 'print01');
    const bidi = (await row(page, keyOf(111)).textContent()) ?? '';
    expect(bidi).toContain('print01');
    expect(unsafeIn(bidi)).toEqual([]);
    await searchList(page, '');
    await expectInert();
  });

  it('says how many items of the answer were left out, and still lists the others', async () => {
    const banner = page.locator(`[data-testid="feed-state"][data-profile="${profileId}"]`);
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/\b[1-4]\b/);
    expect((await listedGuests(page)).size).toBe(19);
  });

  it('draws a node named with markup in the tree as text, or leaves it out', async () => {
    const nodes = [...(await treeItems(page)).keys()].filter((key) => key.includes(':node/'));
    expect(nodes.length).toBeGreaterThanOrEqual(3);
    await expectInert();
  });

  it('renders hostile notes inertly: no script, no handler, no javascript: link, the text kept', async () => {
    await open('guest/111', 'guest-notes');
    const notes = page.getByTestId('guest-notes');
    expect(await notes.textContent()).toContain('plain link');
    expect(await notes.locator('script, iframe, form, img[src="x"]').count()).toBe(0);
    expect(unsafeIn(await page.getByTestId('guest-summary').textContent())).toEqual([]);
    await expectInert();
  });

  it('shows a 100 000-character note without stalling the page, and tags with markup and bidi as text', async () => {
    const before = Date.now();
    await open('guest/112', 'guest-notes');
    expect(Date.now() - before).toBeLessThan(10_000);
    expect(((await page.getByTestId('guest-notes').textContent()) ?? '').length).toBeGreaterThan(1000);
    const summary = (await page.getByTestId('guest-summary').textContent()) ?? '';
    expect(summary).toContain('<b>bold</b>');
    expect(unsafeIn(summary)).toEqual([]);
    await expectInert();
  });

  it('shows a hostile pool comment as text', async () => {
    await open('pool/services', 'pool-view');
    expect(await page.getByTestId('pool-view').textContent()).toContain('<img src=x');
    await expectInert();
  });

  it('keeps working after all of it: the list sorts and searches', async () => {
    await page.goto(new URL('#/inventory', page.url()).href);
    await page.getByTestId('sort-vmid').click();
    await searchList(page, 'tag:production');
    expect((await listedGuests(page)).size).toBeGreaterThan(0);
    await searchList(page, '');
    await expectInert();
  });

  it('ran without a page error or a console error', () => {
    expect(app.errors).toEqual([]);
  });
});
