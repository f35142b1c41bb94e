import { useI18n } from 'vue-i18n';
import { useConnectionsStore } from '../connections';
import { shownText } from './guest-label';
import { useInventoryStore } from './inventory-store';

/**
 * What a view calls a cluster: its name in the inventory, else the name of
 * its connection profile (a disconnected profile has no feed), else "this
 * cluster". Never the profile id: a UUID means nothing to the user.
 */
export function useClusterName() {
  const inventory = useInventoryStore();
  const connections = useConnectionsStore();
  const { t } = useI18n();
  void connections.start();

  /** The cluster's name, cleaned and capped, or undefined when neither the inventory nor the profiles know it. */
  function knownName(profileId: string): string | undefined {
    const name = inventory.feed(profileId)?.name ?? connections.profiles.find((profile) => profile.id === profileId)?.name;
    return name === undefined ? undefined : shownText(name, 80);
  }

  /** The cluster's name for a sentence: its known name, else "this cluster". */
  function clusterName(profileId: string): string {
    return knownName(profileId) ?? t('inventory.summary.thisCluster');
  }

  /** The cluster's name as a heading or a link: its known name, else "This cluster". */
  function clusterTitle(profileId: string): string {
    return knownName(profileId) ?? t('inventory.cluster.thisCluster');
  }

  return { knownName, clusterName, clusterTitle };
}
