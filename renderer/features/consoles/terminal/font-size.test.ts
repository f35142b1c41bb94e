import { beforeEach, describe, expect, it } from 'vitest';
import { fontSizeRange, rememberedFontSize, rememberFontSize } from './font-size';

const serial = { profileId: 'lab', node: 'pve1', kind: 'serial', vmid: 100 } as const;
const shell = { profileId: 'lab', node: 'pve1', kind: 'shell' } as const;

beforeEach(() => localStorage.clear());

describe('terminal font size', () => {
  it('remembers one size per console', () => {
    rememberFontSize(serial, 18);
    expect(rememberedFontSize(serial)).toBe(18);
    expect(rememberedFontSize(shell)).toBe(fontSizeRange.initial);
    expect(rememberedFontSize({ ...serial, vmid: 101 })).toBe(fontSizeRange.initial);
  });

  it('falls back to the initial size when what is stored is broken, and keeps a stored size in range', () => {
    localStorage.setItem('pve-desk.terminal.font-size', '{not json');
    expect(rememberedFontSize(serial)).toBe(fontSizeRange.initial);
    localStorage.setItem('pve-desk.terminal.font-size', JSON.stringify({ 'lab/pve1/serial/100': 'big', 'lab/pve1/shell/': 400 }));
    expect(rememberedFontSize(serial)).toBe(fontSizeRange.initial);
    expect(rememberedFontSize(shell)).toBe(fontSizeRange.max);
  });
});
