import type { jobsEn } from './jobs.en';

/** Titres des tâches de la fonctionnalité operations : mêmes clés que l'anglais. */
export const jobsFr: typeof jobsEn = {
  create: 'Créer la VM {guest} ({vmid}) sur {node}',
  clone: 'Cloner {guest} en {name} ({newid})',
  destroy: 'Supprimer la VM {guest} ({vmid})',
  updateConfig: 'Modifier la configuration de {guest}',
  resizeDisk: 'Agrandir le disque {disk} de {guest} à {size}',
  moveDisk: 'Déplacer le disque {disk} de {guest} vers {storage}',
  snapshotCreate: 'Prendre l’instantané {snapshot} de {guest}',
  snapshotRollback: 'Revenir à l’instantané {snapshot} de {guest}',
  snapshotDelete: 'Supprimer l’instantané {snapshot} de {guest}',
  backup: 'Sauvegarder {guest} sur {storage}',
  restore: 'Restaurer {archive} dans la VM {vmid}',
  deleteVolume: 'Supprimer {volume}',
  backupJobRun: 'Exécuter la tâche de sauvegarde {job} sur {node}',
  migrate: 'Migrer {guest} vers {target}',
  evacuate: 'Évacuer le nœud {node} ({count} invités)',
};
