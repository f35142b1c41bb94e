import { describe, expect, it } from 'vitest';
import { JobLog } from './job-log';

describe('JobLog', () => {
  it('keeps the last lines within the line cap and marks the dropped ones with one line', () => {
    const log = new JobLog({ maxLines: 3, maxBytes: 1_000_000 });
    for (let i = 0; i < 10; i++) log.append(`line ${i}`);
    expect(log.length).toBe(10);
    expect(log.read(0, 100)).toEqual({ from: 0, lines: ['[7 earlier lines dropped: the log keeps the last 3 lines]', 'line 7', 'line 8', 'line 9'], next: 10 });
    expect(log.read(8, 100)).toEqual({ from: 8, lines: ['line 8', 'line 9'], next: 10 });
    expect(log.read(10, 100)).toEqual({ from: 10, lines: [], next: 10 });
  });

  it('keeps within the byte cap', () => {
    const log = new JobLog({ maxLines: 1000, maxBytes: 100 });
    for (let i = 0; i < 50; i++) log.append('x'.repeat(30));
    const { lines } = log.read(0, 1000);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('47 earlier lines dropped');
  });

  it('stays bounded over a million lines', () => {
    const log = new JobLog({ maxLines: 100, maxBytes: 1_000_000 });
    for (let i = 0; i < 1_000_000; i++) log.append(`line ${i}`);
    expect(log.read(999_990, 5)).toEqual({ from: 999_990, lines: ['line 999990', 'line 999991', 'line 999992', 'line 999993', 'line 999994'], next: 999_995 });
    expect(log.read(0, 2).lines).toEqual(['[999900 earlier lines dropped: the log keeps the last 100 lines]', 'line 999900']);
  });
});
