import { useMessage } from 'naive-ui';
import { useI18n } from 'vue-i18n';
import { describeError } from './describe-error';

/** Shows failures as toasts, worded for the user (needs NMessageProvider above). */
export function useNotify() {
  const message = useMessage();
  const { t } = useI18n();
  return {
    failure(summaryKey: string, error: unknown): void {
      message.error(`${t(summaryKey)} ${describeError(t, error)}`, { duration: 8000, closable: true });
    },
  };
}
