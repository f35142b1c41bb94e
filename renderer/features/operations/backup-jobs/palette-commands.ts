import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import type { PaletteCommandSource } from '../../../platform/palette';
import { shownText, useInventoryStore } from '../../inventory';

/** "Backup jobs of <cluster>": one command per connected cluster, opening its backup jobs page. */
export const useBackupJobsPaletteCommands: PaletteCommandSource = () => {
  const { t } = useI18n();
  const router = useRouter();
  const inventory = useInventoryStore();
  return computed(() =>
    inventory.feeds.map((feed) => ({
      id: `operations.backupJobs.${feed.profileId}`,
      label: t('operations.backups.jobs.paletteOpen', { cluster: shownText(feed.name, 80) }),
      run: () => void router.push({ name: 'operations-backup-jobs', params: { profileId: feed.profileId } }),
    })),
  );
};
