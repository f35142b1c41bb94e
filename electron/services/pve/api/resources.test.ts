import { describe, expect, it } from 'vitest';
import { PveError } from '../errors';
import { interpretAnswer } from '../http/interpret-answer';
import { clusterResourceListCall } from './resources';

const endpoint = 'https://127.0.0.1:8006';

describe('clusterResourceListCall', () => {
  it('hands each item over unchecked, a malformed one included', () => {
    const body = JSON.stringify({ data: [{ id: 'qemu/100', type: 'qemu' }, { id: 7 }, 'junk'] });
    expect(interpretAnswer(clusterResourceListCall(), { status: 200, statusMessage: 'OK', body }, endpoint)).toEqual([
      { id: 'qemu/100', type: 'qemu' },
      { id: 7 },
      'junk',
    ]);
  });

  it('answers BAD_RESPONSE for anything but a list', () => {
    for (const data of [{ id: 'qemu/100' }, 'qemu/100', null]) {
      const read = (): unknown => interpretAnswer(clusterResourceListCall(), { status: 200, statusMessage: 'OK', body: JSON.stringify({ data }) }, endpoint);
      expect(read).toThrow(PveError);
      expect(read).toThrow(expect.objectContaining({ code: 'BAD_RESPONSE' }) as Error);
    }
  });
});
