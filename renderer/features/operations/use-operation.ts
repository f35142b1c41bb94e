import { ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import type { MethodInput, MethodName, MethodResult } from '../../../shared/ipc/contract';
import { IpcError } from '../../../shared/ipc/errors';
import { describeError } from '../../platform/describe-error';
import { useIpc } from '../../platform/use-ipc';
import { useOperationsDialogs } from './operations-dialogs';

/** A failed call as a dialog shows it: the IPC code (tests and styles read it) and the sentence in the user's language. */
export interface OperationError {
  code: string;
  text: string;
}

/** A failure (a submit's, or a read the dialog needs: storages, a free VMID) as the dialog's error alert shows it. */
export function operationError(t: (key: string) => string, failure: unknown): OperationError {
  return { code: failure instanceof IpcError ? failure.code : 'INTERNAL', text: describeError(t, failure) };
}

type OperationMethod = Extract<MethodName, `operations.${string}`>;

/**
 * The submit of every operations dialog: one run at a time, `busy` while it runs, the failure kept for the dialog's
 * alert (DialogError.vue). On success the host's dialog (OperationsHost) closes unless `closeOnSuccess` is false: a
 * dialog that still has something to show, or one that is not the host's (a tab's own dialogs close themselves).
 */
export function useOperation(options: { closeOnSuccess?: boolean } = {}) {
  const ipc = useIpc();
  const dialogs = useOperationsDialogs();
  const { t } = useI18n();
  const busy = ref(false);
  const error = shallowRef<OperationError>();

  /** Runs `action`; its result, or undefined when it failed (the failure is in `error`) or another run is under way. */
  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    if (busy.value) return undefined;
    busy.value = true;
    error.value = undefined;
    try {
      const result = await action();
      if (options.closeOnSuccess !== false) dialogs.close();
      return result;
    } catch (failure) {
      error.value = operationError(t, failure);
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  function submit<M extends OperationMethod>(method: M, input: MethodInput<M>): Promise<MethodResult<M> | undefined> {
    return run(() => ipc.call(method, input));
  }

  return { busy, error, run, submit };
}
