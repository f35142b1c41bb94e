import { describe, expect, it } from 'vitest';
import { settleInOrder } from './settle';

const later = <T>(ms: number, value: T, fail = false): Promise<T> =>
  new Promise((resolve, reject) => setTimeout(() => (fail ? reject(new Error(String(value))) : resolve(value)), ms));

describe('settleInOrder', () => {
  it('answers every value in order', async () => {
    expect(await settleInOrder([later(20, 'a'), later(1, 2), Promise.resolve(true)])).toEqual(['a', 2, true]);
  });

  it('throws the first failure in the given order, not in time, and only once every promise is over', async () => {
    let slowEnded = false;
    const slow = later(60, 'slow').finally(() => (slowEnded = true));
    await expect(settleInOrder([later(40, 'first', true), later(1, 'second', true), slow])).rejects.toThrow('first');
    expect(slowEnded).toBe(true);
  });
});
