import { describe, expect, it } from 'vitest';
import './testing/node-name-getter';
import { notesPreviewChars, renderNotes } from './notes-markdown';

/** The rendered notes as a DOM, to ask what is in them rather than match strings. */
function rendered(source: string): HTMLElement {
  const host = document.createElement('div');
  host.innerHTML = renderNotes(source).html;
  return host;
}

function everyAttribute(root: HTMLElement): string[] {
  return [...root.querySelectorAll('*')].flatMap((element) => [...element.attributes].map((attribute) => `${element.tagName}.${attribute.name}`));
}

describe('guest notes as Markdown', () => {
  it('renders Markdown formatting, lists, code and tables', () => {
    const root = rendered('# Web server\n\n**Owner**: ops, _see_ `nginx.conf`\n\n- one\n- two\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n```\nrm -rf /\n```');
    expect(root.querySelector('h1')?.textContent).toBe('Web server');
    expect(root.querySelector('strong')?.textContent).toBe('Owner');
    expect(root.querySelector('em')?.textContent).toBe('see');
    expect(root.querySelectorAll('li')).toHaveLength(2);
    expect(root.querySelector('td')?.textContent).toBe('1');
    expect(root.querySelector('pre code')?.textContent).toBe('rm -rf /\n');
    // The table's alignment comes as a style attribute: dropped with every other style.
    expect(everyAttribute(root).filter((name) => name.endsWith('.style'))).toEqual([]);
  });

  it('opens web and mail links outside the app, without the opener or the referrer', () => {
    const root = rendered('[docs](https://pve.example.org/wiki) and mail@example.org and http://example.org');
    const links = [...root.querySelectorAll('a')];
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['https://pve.example.org/wiki', 'mailto:mail@example.org', 'http://example.org']);
    for (const link of links) {
      expect(link.getAttribute('target')).toBe('_blank');
      expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    }
  });

  it('keeps no link that is not to the web or a mailbox', () => {
    const root = rendered(
      [
        '[click](javascript:alert(1))',
        '[click](JaVaScRiPt&#58;alert(1))',
        '[click]( javascript:alert(1))',
        '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
        '[vb](vbscript:msgbox)',
        '[file](file:///etc/passwd)',
        '[relative](../../settings)',
        '<javascript:alert(1)>',
      ].join('\n\n'),
    );
    expect(root.querySelectorAll('a[href]')).toHaveLength(0);
    // What is left is the source as text: nothing a click or the browser would follow.
    expect(root.textContent).toContain('[click](javascript:alert(1))');
  });

  it('shows raw HTML as text: no script, iframe, image, form or event attribute', () => {
    const hostile = [
      '<script>window.hacked = 1</script>',
      '<img src=x onerror="window.hacked = 1">',
      '<iframe src="https://evil.example"></iframe>',
      '<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
      '<svg onload="alert(1)"></svg>',
      '<form action="https://evil.example"><input name=a></form>',
      '<div style="position:fixed;inset:0">cover</div>',
    ].join('\n\n');
    const root = rendered(hostile);
    expect(root.querySelectorAll('script, img, iframe, svg, form, input, div, style')).toHaveLength(0);
    expect(everyAttribute(root).filter((name) => /\.(on|style|src)/.test(name))).toEqual([]);
    expect(root.textContent).toContain('<script>window.hacked = 1</script>');
    expect(root.textContent).toContain('<img src=x onerror="window.hacked = 1">');
  });

  it('fetches no image a note names', () => {
    const root = rendered('![tracker](https://evil.example/pixel.png)\n\n![inline](data:image/png;base64,iVBORw0KGgo=)');
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelectorAll('[src], [srcset]')).toHaveLength(0);
  });

  it('removes bidi controls and replaces other control characters', () => {
    const root = rendered('invoice-\u202Egpj.exe \u2066isolated\u2069 bell\u0007 tab\tend');
    expect(root.textContent?.trim()).toBe('invoice-gpj.exe isolated bell\uFFFD tab\tend');
  });

  it('renders the beginning of a 100 000-character note quickly and says it was cut', () => {
    const line = `${'word '.repeat(19)}[link](https://example.org) **bold** _emph_ \`code\`\n`;
    const huge = line.repeat(Math.ceil(100_000 / line.length)).slice(0, 100_000);
    const started = performance.now();
    const notes = renderNotes(huge);
    // A guard against a parser gone quadratic (minutes), not a speed target: the machine is shared.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(notes.cut).toBe(true);
    const host = document.createElement('div');
    host.innerHTML = notes.html;
    expect(host.textContent?.length).toBeLessThanOrEqual(notesPreviewChars);
    expect(host.textContent?.length).toBeGreaterThan(notesPreviewChars / 2);
  });

  it('survives a note built to make a parser work hard', () => {
    const nested = `${'> '.repeat(5000)}${'['.repeat(20_000)}${'*a'.repeat(20_000)}`;
    const started = performance.now();
    const notes = renderNotes(nested);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(notes.cut).toBe(true);
    expect(renderNotes('short').cut).toBe(false);
  });
});
