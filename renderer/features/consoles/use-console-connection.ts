import { onScopeDispose, ref, shallowRef, watch } from 'vue';
import type { ConsoleSession } from '../../../shared/domain/consoles';
import type { ConsoleTarget } from '../../../shared/ipc/contract/consoles';
import { IpcError, type IpcErrorCode } from '../../../shared/ipc/errors';
import { useIpc } from '../../platform/use-ipc';
import { useInventoryStore } from '../inventory';
import type { ViewerFailure } from './viewer';

export type ConsoleState = 'connecting' | 'connected' | 'reconnecting' | 'failed';

/** Why a console is not connected: what its viewer reported, or why main did not open it. */
export type ConsoleFailure = ViewerFailure | { kind: 'not-running' } | { kind: 'permission' } | { kind: 'other'; detail: string };
export type ConsoleFailureKind = ConsoleFailure['kind'];

/** The waits between reconnection attempts after a drop: 1 s, 2 s, 4 s… never more than 30 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(1000 * 2 ** (attempt - 1), 30_000);
}

/** How long a started guest may take to show as running before the console gives up waiting. */
export const guestStartWaitMs = 120_000;

const failureOfCode: Partial<Record<IpcErrorCode, ConsoleFailure>> = {
  NOT_RUNNING: { kind: 'not-running' },
  PERMISSION_DENIED: { kind: 'permission' },
  TLS_MISMATCH: { kind: 'certificate' },
  TLS_UNTRUSTED: { kind: 'certificate' },
  SSH_HOST_KEY_MISMATCH: { kind: 'certificate' },
  SSH_HOST_KEY_REFUSED: { kind: 'certificate' },
  UNREACHABLE: { kind: 'unreachable' },
  DISCONNECTED: { kind: 'unreachable' },
  TIMEOUT: { kind: 'unreachable' },
  SSH_FAILED: { kind: 'unreachable' },
  AUTH_FAILED: { kind: 'auth-failed' },
  SSH_AUTH_FAILED: { kind: 'auth-failed' },
};

/** What a failed `consoles.open` means for the user. */
export function failureOfError(error: unknown): ConsoleFailure {
  if (error instanceof IpcError) return failureOfCode[error.code] ?? { kind: 'other', detail: error.message };
  return { kind: 'other', detail: error instanceof Error ? error.message : String(error) };
}

// While reconnecting after a drop, every failure is worth another try (a node rebooting, a guest between two nodes,
// an API that drops requests for a while), except those only the user can fix.
const needsTheUser: ReadonlySet<ConsoleFailureKind> = new Set(['permission', 'certificate', 'not-running']);

/**
 * One console's connection: asks main for a session (`consoles.open`) that the viewer spends, follows what the viewer
 * reports, reconnects with back-off after a drop (visible and cancellable), and starts a stopped guest on request.
 * A guest's console is always asked of the node the inventory shows now, so it follows a guest that migrated.
 */
export function useConsoleConnection(target: () => ConsoleTarget) {
  const ipc = useIpc();
  const inventory = useInventoryStore();
  // The detached window has no inventory view: the store is started here so a migration is seen there too.
  inventory.start().catch(() => undefined);

  const state = ref<ConsoleState>('connecting');
  const failure = shallowRef<ConsoleFailure>();
  const session = shallowRef<ConsoleSession | null>(null);
  /** The reconnection attempt under way (0 when not reconnecting) and the wait before it. */
  const attempt = ref(0);
  const nextDelayMs = ref(0);
  /** A start of the stopped guest is under way: the console connects once the guest runs. */
  const startingGuest = ref(false);

  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopWaitingForGuest: (() => void) | undefined;
  // Bumped by every new attempt and by cancel: an answer for an older one is dropped.
  let generation = 0;

  /** The target at the node the inventory shows the guest on now. */
  function currentTarget(): ConsoleTarget {
    const wanted = target();
    if (wanted.kind === 'shell') return wanted;
    const node = inventory.entry(wanted.profileId, `qemu/${wanted.vmid}`)?.item.node;
    return node !== undefined && node !== wanted.node ? { ...wanted, node } : wanted;
  }

  function clearTimers(): void {
    clearTimeout(timer);
    timer = undefined;
    stopWaitingForGuest?.();
    stopWaitingForGuest = undefined;
    startingGuest.value = false;
  }

  async function open(): Promise<void> {
    const mine = ++generation;
    session.value = null;
    try {
      const answer = await ipc.call('consoles.open', currentTarget());
      if (mine === generation) session.value = answer;
    } catch (error) {
      if (mine === generation) settle(failureOfError(error));
    }
  }

  function scheduleReconnect(): void {
    attempt.value += 1;
    nextDelayMs.value = reconnectDelayMs(attempt.value);
    state.value = 'reconnecting';
    failure.value = { kind: 'dropped' };
    session.value = null;
    generation++;
    timer = setTimeout(() => {
      timer = undefined;
      void open();
    }, nextDelayMs.value);
  }

  /** A failure: retried while reconnecting after a drop, shown otherwise. */
  function settle(reason: ConsoleFailure): void {
    clearTimers();
    if (reason.kind === 'dropped' || (state.value === 'reconnecting' && !needsTheUser.has(reason.kind))) {
      scheduleReconnect();
      return;
    }
    session.value = null;
    state.value = 'failed';
    failure.value = reason;
    attempt.value = 0;
  }

  /** Connects from scratch (the first time, or after a failure the user has seen). */
  function connect(): void {
    clearTimers();
    attempt.value = 0;
    failure.value = undefined;
    state.value = 'connecting';
    void open();
  }

  /** `console-reconnect`: tries now; while backing off, this is the next attempt brought forward. */
  function reconnectNow(): void {
    if (state.value !== 'reconnecting') {
      connect();
      return;
    }
    clearTimers();
    void open();
  }

  /** Stops reconnecting: the console stays disconnected, saying it dropped, until the user reconnects. */
  function cancelReconnect(): void {
    clearTimers();
    generation++;
    session.value = null;
    attempt.value = 0;
    state.value = 'failed';
    failure.value = { kind: 'dropped' };
  }

  function waitUntilRunning(profileId: string, vmid: number): void {
    const status = () => inventory.entry(profileId, `qemu/${vmid}`)?.item.status;
    if (status() === 'running') {
      connect();
      return;
    }
    const deadline = setTimeout(() => settle({ kind: 'not-running' }), guestStartWaitMs);
    const stopWatching = watch(status, (now) => {
      if (now === 'running') connect();
    });
    stopWaitingForGuest = () => {
      clearTimeout(deadline);
      stopWatching();
    };
  }

  /** `console-start-guest`: starts the stopped guest through the inventory's power action, then connects once it runs. */
  async function startGuest(): Promise<void> {
    const wanted = currentTarget();
    if (wanted.kind === 'shell') return;
    clearTimers();
    state.value = 'connecting';
    failure.value = undefined;
    startingGuest.value = true;
    try {
      await ipc.call('inventory.power', { action: 'start', targets: [{ profileId: wanted.profileId, node: wanted.node, vmid: wanted.vmid }] });
    } catch (error) {
      settle(failureOfError(error));
      return;
    }
    // Still waiting for this start (not cancelled or replaced meanwhile).
    if (startingGuest.value) waitUntilRunning(wanted.profileId, wanted.vmid);
  }

  /** The viewer's `connected` event. */
  function viewerConnected(): void {
    clearTimers();
    state.value = 'connected';
    failure.value = undefined;
    attempt.value = 0;
  }

  /** The viewer's `disconnected` event. */
  function viewerDisconnected(reason: ViewerFailure): void {
    settle(reason);
  }

  /** Ends the console: no answer, timer or wait outlives it. */
  function dispose(): void {
    clearTimers();
    generation++;
    session.value = null;
  }

  onScopeDispose(dispose);

  return {
    state,
    failure,
    session,
    attempt,
    nextDelayMs,
    startingGuest,
    connect,
    reconnectNow,
    cancelReconnect,
    startGuest,
    viewerConnected,
    viewerDisconnected,
    dispose,
  };
}

export type ConsoleConnection = ReturnType<typeof useConsoleConnection>;
