import { useI18n } from 'vue-i18n';
import type { MigrationTarget } from '../../../../shared/domain/operations';
import { formatBytes, shownText } from '../../inventory';

/** A node as a migration target is offered: its free memory, or why it cannot take the guest (offline, what it lacks). */
export function useTargetLabel() {
  const { t, locale } = useI18n();

  function reasons(candidate: MigrationTarget): string {
    return candidate.reasons.map((reason) => shownText(reason, 80)).join(', ');
  }

  function label(candidate: MigrationTarget): string {
    const node = shownText(candidate.node, 63);
    if (!candidate.online) return t('operations.migration.targetOffline', { node });
    if (!candidate.allowed) return t('operations.migration.targetRefused', { node, reasons: reasons(candidate) });
    return candidate.freeMemory === undefined ? node : t('operations.migration.targetOption', { node, free: formatBytes(candidate.freeMemory, locale.value) });
  }

  return { label, reasons };
}
