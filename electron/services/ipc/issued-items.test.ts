import { describe, expect, it } from 'vitest';
import { IssuedItems } from './issued-items';

/** What main hands out by id must not pile up: a caller that never comes back costs a bounded, expiring slot. */
describe('issued items', () => {
  it('gives each item once, by an unguessable id', () => {
    const items = new IssuedItems<string>({ maxItems: 4, ttlMs: 1_000 });
    const id = items.issue('question');
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(items.take('0'.repeat(32))).toBeUndefined();
    expect(items.take(id)).toBe('question');
    expect(items.take(id)).toBeUndefined();
  });

  it('forgets the oldest beyond the cap, and any past its lifetime', () => {
    let now = 0;
    const items = new IssuedItems<number>({ maxItems: 2, ttlMs: 1_000, now: () => now });
    const first = items.issue(1);
    const second = items.issue(2);
    const third = items.issue(3);
    expect(items.size).toBe(2);
    expect(items.take(first)).toBeUndefined();
    expect(items.take(second)).toBe(2);
    now = 1_000;
    expect(items.take(third)).toBeUndefined();
    items.issue(4);
    now = 5_000;
    items.issue(5);
    expect(items.size).toBe(1);
  });
});
