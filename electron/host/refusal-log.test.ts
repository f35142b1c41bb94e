import { describe, expect, it } from 'vitest';
import type { Logger } from '../services/log';
import { createRefusalLog } from './refusal-log';

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (event: string, fields?: Record<string, unknown>): void => void lines.push(`${event} ${JSON.stringify(fields)}`);
  return { lines, debug: record, info: record, warn: record, error: record };
}

describe('the refusal log', () => {
  it('writes at most its quota a minute, then one line counting the rest', () => {
    const logger = recordingLogger();
    let clock = 0;
    const log = createRefusalLog(logger, 3, () => clock);
    for (let i = 0; i < 1000; i++) log.note('web-host.upgrade-refused', { reason: 'wrong token' });
    expect(logger.lines).toHaveLength(3);
    clock += 60_000;
    log.note('web-host.upgrade-refused', { reason: 'wrong token' });
    expect(logger.lines).toHaveLength(5);
    expect(logger.lines[3]).toContain('"count":997');
    expect(logger.lines[4]).toContain('web-host.upgrade-refused');
  });

  it('writes what it held back when flushed (the host stops)', () => {
    const logger = recordingLogger();
    const log = createRefusalLog(logger, 1, () => 0);
    log.note('a', {});
    log.note('b', {});
    log.flush();
    expect(logger.lines).toEqual(['a {}', 'web-host.refusals-not-logged {"count":1,"note":"1 more refused or faulty connections"}']);
  });
});
