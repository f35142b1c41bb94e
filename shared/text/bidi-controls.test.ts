import { describe, expect, it } from 'vitest';
import { firstLineShown, jsonWithoutBidiControls, withoutBidiControls } from './bidi-controls';

const controls = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];

describe('withoutBidiControls', () => {
  it('removes every embedding, override, isolate and mark', () => {
    expect(withoutBidiControls(`vm-${controls.join('')}gpj.exe`)).toBe('vm-gpj.exe');
  });

  it('keeps right-to-left letters and every other character', () => {
    const text = 'שרת-01 · خادم · pve1.lab — ünïcødé 🙂';
    expect(withoutBidiControls(text)).toBe(text);
  });
});

describe('jsonWithoutBidiControls', () => {
  it('removes the controls whether written raw or as \\u escapes, in any case', () => {
    const json = JSON.stringify({ name: 'vm-\u202Egpj.exe' }).replace('}', ', "comment": "a\\u202eb\\u2066c\\u200Fd\\u061c"}');
    expect(JSON.parse(jsonWithoutBidiControls(json))).toEqual({ name: 'vm-gpj.exe', comment: 'abcd' });
  });

  it('leaves an escaped backslash followed by the letters u202E as the text it is', () => {
    const json = JSON.stringify({ path: 'C:\\u202E', odd: '\\\u202E' });
    expect(JSON.parse(jsonWithoutBidiControls(json))).toEqual({ path: 'C:\\u202E', odd: '\\' });
  });

  it('leaves JSON without controls unchanged', () => {
    const json = JSON.stringify({ data: [{ name: 'ldap01', tags: 'a;b', note: 'quote " and \\ and \u00e9' }] });
    expect(jsonWithoutBidiControls(json)).toBe(json);
  });
});

describe('firstLineShown', () => {
  it('keeps the first line of a command’s output, trimmed and without bidi controls', () => {
    expect(firstLineShown('  pve\u202E1gol\u202C \nsecond line\n')).toBe('pve1gol');
    expect(firstLineShown('')).toBe('');
  });
});
