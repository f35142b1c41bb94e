import { computed, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { StorageView } from '../../../shared/domain/operations';
import { formatBytes, shownText } from '../inventory';
import type { NodeChoice } from './inventory-lookups';

/**
 * The select options the operations dialogs share, worded once: nodes with their free memory (offline ones
 * disabled), storages with their type and free space, pools.
 */
export function useChoiceOptions() {
  const { t, locale } = useI18n();
  const bytes = (value: number): string => formatBytes(value, locale.value);

  function nodeOptions(nodes: Ref<NodeChoice[]>) {
    return computed(() =>
      nodes.value.map(({ node, online, freeMemory }) => {
        const name = shownText(node, 63);
        let label = name;
        if (!online) label = t('operations.create.dialog.nodeOffline', { node: name });
        else if (freeMemory !== undefined) label = t('operations.create.dialog.nodeOption', { node: name, free: bytes(freeMemory) });
        return { value: node, disabled: !online, label };
      }),
    );
  }

  function storageLabel({ storage, type, avail }: StorageView): string {
    const named = { storage: shownText(storage, 64), type: shownText(type, 20) };
    return avail === undefined
      ? t('operations.create.dialog.storageOptionUnknown', named)
      : t('operations.create.dialog.storageOption', { ...named, free: bytes(avail) });
  }

  /** A cluster's pools, after "no pool" (the empty value). */
  function poolOptions(pools: Ref<string[]>) {
    return computed(() => [
      { value: '', label: t('operations.create.dialog.noPool') },
      ...pools.value.map((pool) => ({ value: pool, label: shownText(pool, 80) })),
    ]);
  }

  return { bytes, nodeOptions, poolOptions, storageLabel };
}
