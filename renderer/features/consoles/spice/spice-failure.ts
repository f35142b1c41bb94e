import { failureOfClose } from '../relay-close';
import type { ViewerFailure } from '../viewer';

/** How a SPICE session ended without the viewer asking: a channel socket closed, or spice-html5 reported an error. */
export type SpiceEnd =
  | { kind: 'closed'; code: number; reason: string }
  /** spice-html5's own failure (link refused, bad magic, time-out) while the socket stayed open. */
  | { kind: 'error'; message: string };

/** A closed socket says what happened by the relay's close code (as for every viewer); spice-html5's errors by their words. */
export function failureOfSpiceEnd(end: SpiceEnd): ViewerFailure {
  if (end.kind === 'closed') return failureOfClose(end.code, end.reason);
  // spice-html5 says "Permission denied." when the server refuses the ticket at the link stage.
  if (/permission denied/i.test(end.message)) return { kind: 'auth-failed' };
  if (/timed out/i.test(end.message)) return { kind: 'unreachable' };
  return { kind: 'protocol', detail: end.message };
}
