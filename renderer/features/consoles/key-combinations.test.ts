import { describe, expect, it } from 'vitest';
import { relayCloseCodes } from '../../../shared/domain/consoles';
import { combinationLabel, ctrlAltDel, keyCombinations, keyEvents } from './key-combinations';
import { failureOfClose } from './relay-close';
import { screenshotFileName } from './screenshot-file';

describe('key combinations', () => {
  it('offer Ctrl+Alt+Del, Ctrl+Alt+F1…F12, Alt+Tab and Print, with the menu ids the toolbar names', () => {
    expect(keyCombinations.map((combination) => combination.id)).toEqual([
      'ctrl-alt-del',
      ...Array.from({ length: 12 }, (_, index) => `ctrl-alt-f${index + 1}`),
      'alt-tab',
      'print',
    ]);
  });

  it('use the X11 keysyms and the key codes of the keys they name', () => {
    const byId = new Map(keyCombinations.map((combination) => [combination.id, combination]));
    expect(byId.get('ctrl-alt-del')).toMatchObject({ keysyms: [0xffe3, 0xffe9, 0xffff], codes: ['ControlLeft', 'AltLeft', 'Delete'] });
    expect(byId.get('ctrl-alt-f1')).toMatchObject({ keysyms: [0xffe3, 0xffe9, 0xffbe], codes: ['ControlLeft', 'AltLeft', 'F1'] });
    expect(byId.get('ctrl-alt-f12')).toMatchObject({ keysyms: [0xffe3, 0xffe9, 0xffc9], codes: ['ControlLeft', 'AltLeft', 'F12'] });
    expect(byId.get('alt-tab')).toMatchObject({ keysyms: [0xffe9, 0xff09] });
    expect(byId.get('print')).toMatchObject({ keysyms: [0xff61], codes: ['PrintScreen'] });
  });

  it('press the keys in order and release them in reverse', () => {
    expect(keyEvents(ctrlAltDel).map(({ code, down }) => `${down ? '+' : '-'}${code}`)).toEqual([
      '+ControlLeft',
      '+AltLeft',
      '+Delete',
      '-Delete',
      '-AltLeft',
      '-ControlLeft',
    ]);
  });

  it('label each combination with the keyboard words it is given', () => {
    const french = { del: 'Suppr', print: 'Impr. écran' };
    const labels = keyCombinations.map((combination) => combinationLabel(combination, (name) => french[name]));
    expect(labels).toContain('Ctrl+Alt+Suppr');
    expect(labels).toContain('Ctrl+Alt+F11');
    expect(labels).toContain('Alt+Tab');
    expect(labels).toContain('Impr. écran');
  });
});

describe('relay close codes', () => {
  it('say what happened for each of the relay codes, and a drop for any other close', () => {
    expect(failureOfClose(relayCloseCodes.tokenRefused, '')).toEqual({ kind: 'token-refused' });
    expect(failureOfClose(relayCloseCodes.unreachable, '')).toEqual({ kind: 'unreachable' });
    expect(failureOfClose(relayCloseCodes.certificate, '')).toEqual({ kind: 'certificate' });
    expect(failureOfClose(relayCloseCodes.authFailed, '')).toEqual({ kind: 'auth-failed' });
    expect(failureOfClose(relayCloseCodes.upstreamClosed, '')).toEqual({ kind: 'dropped' });
    expect(failureOfClose(relayCloseCodes.protocolError, 'bad RFB version')).toEqual({ kind: 'protocol', detail: 'bad RFB version' });
    expect(failureOfClose(1006, '')).toEqual({ kind: 'dropped' });
  });
});

describe('screenshot file name', () => {
  it('names the console and the local time with characters every file system takes', () => {
    expect(screenshotFileName('debian-lab (100)', new Date(2026, 11, 2, 9, 5, 7))).toBe('pve-desk-debian-lab-100-2026-12-02-090507.png');
    expect(screenshotFileName('élan/vm: 7', new Date(2026, 0, 1, 0, 0, 0))).toBe('pve-desk-elan-vm-7-2026-01-01-000000.png');
    expect(screenshotFileName('///', new Date(2026, 0, 1, 0, 0, 0))).toBe('pve-desk-console-2026-01-01-000000.png');
  });
});
