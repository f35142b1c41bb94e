import type { EventName, IpcEvents } from '../../../shared/ipc/contract';

export type EventSink = <E extends EventName>(event: E, payload: IpcEvents[E]) => void;

/** Fans server-push events out to every connected host (Electron windows, WebSocket clients). */
export class EventHub {
  private readonly sinks = new Set<EventSink>();

  emit<E extends EventName>(event: E, payload: IpcEvents[E]): void {
    for (const sink of this.sinks) sink(event, payload);
  }

  /** Returns the function that detaches the sink. */
  attach(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }
}
