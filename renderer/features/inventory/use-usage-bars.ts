import { useI18n } from 'vue-i18n';
import { fillRatio, formatBytes, formatPercent } from './format';

/** A size in the reader's language, and a UsageBar's figures for used of total bytes ("3.2 GiB of 8 GiB (40 %)"), as the summaries show them. */
export function useUsageBars() {
  const { t, locale } = useI18n();
  const bytes = (value: number) => formatBytes(value, locale.value);
  const usageBar = (used: number, total: number) => ({
    ratio: fillRatio(used, total),
    label: t('inventory.summary.usage', { used: bytes(used), total: bytes(total), percent: formatPercent(fillRatio(used, total), locale.value) }),
  });
  return { bytes, usageBar };
}
