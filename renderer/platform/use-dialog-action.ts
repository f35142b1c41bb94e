import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { describeError } from './describe-error';

/**
 * The busy flag and error sentence of a dialog's action: one run at a time,
 * the last failure shown in the user's language until the next run.
 */
export function useDialogAction() {
  const { t } = useI18n();
  const busy = ref(false);
  const error = ref<string>();

  async function run(action: () => Promise<void>): Promise<void> {
    if (busy.value) return;
    busy.value = true;
    error.value = undefined;
    try {
      await action();
    } catch (failure) {
      error.value = describeError(t, failure);
    } finally {
      busy.value = false;
    }
  }

  return { busy, error, run };
}
