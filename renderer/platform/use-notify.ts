import { useMessage } from 'naive-ui';
import { h } from 'vue';
import { useI18n } from 'vue-i18n';
import { describeError } from './describe-error';

/** Shows failures as toasts, worded for the user (needs NMessageProvider above). */
export function useNotify() {
  const message = useMessage();
  const { t } = useI18n();
  return {
    failure(summaryKey: string, error: unknown): void {
      const text = `${t(summaryKey)} ${describeError(t, error)}`;
      // Host details may hold long unbroken tokens (fingerprints, URLs): let them wrap inside the toast.
      message.error(() => h('span', { style: { overflowWrap: 'anywhere' } }, text), { duration: 8000, closable: true });
    },
  };
}
