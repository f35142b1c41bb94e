import type { Logger } from '../services/log';

export interface RefusalLog {
  /** Logs one refused peer or faulty connection, unless this minute's quota is used up. */
  note(event: string, fields: Record<string, unknown>): void;
  /** Writes the summary of what the quota held back. */
  flush(): void;
}

const windowMs = 60_000;

/**
 * Refusals are caused by whoever connects, so each line costs an attacker
 * nothing and the disk something: at most `perMinute` lines a minute, then
 * one line saying how many more were held back.
 */
export function createRefusalLog(logger: Logger, perMinute: number, now: () => number = Date.now): RefusalLog {
  let windowStart = now();
  let written = 0;
  let held = 0;

  function flush(): void {
    if (held > 0) logger.warn('web-host.refusals-not-logged', { count: held, note: `${held} more refused or faulty connections` });
    held = 0;
  }

  return {
    note(event, fields) {
      if (now() - windowStart >= windowMs) {
        flush();
        windowStart = now();
        written = 0;
      }
      if (written < perMinute) {
        written += 1;
        logger.warn(event, fields);
      } else {
        held += 1;
      }
    },
    flush,
  };
}
