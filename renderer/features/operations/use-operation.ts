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

type OperationMethod = Extract<MethodName, `operations.${string}`>;

/**
 * The submit of an operations dialog: one call at a time, `busy` while it runs, the failure kept for the dialog's
 * alert (DialogError.vue). On success the dialog closes, unless it still has something to show: the job the call
 * started is followed in the task pane.
 */
export function useOperation(options: { closeOnSuccess?: boolean } = {}) {
  const ipc = useIpc();
  const dialogs = useOperationsDialogs();
  const { t } = useI18n();
  const busy = ref(false);
  const error = shallowRef<OperationError>();

  async function submit<M extends OperationMethod>(method: M, input: MethodInput<M>): Promise<MethodResult<M> | undefined> {
    if (busy.value) return undefined;
    busy.value = true;
    error.value = undefined;
    try {
      const result = await ipc.call(method, input);
      if (options.closeOnSuccess !== false) dialogs.close();
      return result;
    } catch (failure) {
      error.value = { code: failure instanceof IpcError ? failure.code : 'INTERNAL', text: describeError(t, failure) };
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  return { busy, error, submit };
}
