/** The public surface of IPC: the router both hosts share, its sender policies, the event hub and ids issued once. */
export { EventHub } from './event-hub';
export { toErrorPayload } from './error-payload';
export { InFlightLimit, defaultMaxCallsInFlight } from './in-flight-limit';
export { IssuedItems } from './issued-items';
export { createIpcRouter, type CallContext, type IpcRouter, type MethodHandlers } from './router';
export { electronSenderPolicy, isAppPage, webSenderPolicy, type ElectronSender, type WebSender } from './sender-policies';
