import { createInterface } from 'node:readline';

/**
 * The lab's time, in seconds since the epoch, for what PVE ages by the clock (tickets, CSRF tokens).
 * Tests move it forward to let hours of ticket lifetime pass at once instead of sleeping.
 */
export interface LabClock {
  now(): number;
  advance(seconds: number): void;
}

export function createLabClock(real: () => number = () => Date.now() / 1000): LabClock {
  let offset = 0;
  return {
    now: () => real() + offset,
    advance(seconds) {
      offset += seconds;
    },
  };
}

/**
 * With `--clock-control`, a test's harness writes `advance-clock <seconds>` lines to the lab's stdin;
 * each is answered `CLOCK ADVANCED <seconds>` on stdout once the clock has moved.
 */
export function acceptClockCommands(clock: LabClock, input: NodeJS.ReadableStream, answer: (line: string) => void): void {
  createInterface({ input }).on('line', (line) => {
    const found = /^advance-clock (\d+(?:\.\d+)?)$/.exec(line.trim());
    if (found?.[1] === undefined) return;
    clock.advance(Number(found[1]));
    answer(`CLOCK ADVANCED ${found[1]}`);
  });
}
