import type { snapshotsEn } from './snapshots.en';

/** French messages of the operations feature's snapshots part: the same keys as English. */
export const snapshotsFr: typeof snapshotsEn = {
  title: 'Instantanés',
  tree: 'Instantanés de {guest}',
  loading: 'Lecture des instantanés…',
  notFound: 'Cet invité n’est pas dans l’inventaire de ce cluster.',
  loadFailed: 'Les instantanés n’ont pas pu être lus.',
  none: 'Cet invité n’a encore aucun instantané.',
  current: 'MAINTENANT — état actuel',
  currentHint: 'L’état en cours, bâti sur l’instantané au-dessus.',
  takenAt: 'pris le {date}',
  withRam: 'avec la RAM',
  withoutRam: 'disques seuls, sans RAM',
  noDescription: 'Pas de description',
  create: 'Prendre un instantané',
  rollback: 'Revenir à cet instantané',
  delete: 'Supprimer',
  selectedNone: 'Choisissez un instantané dans l’arbre pour y revenir ou le supprimer.',
  selected: 'Choisi : {name}',
  dialog: {
    title: 'Prendre un instantané de {guest}',
    name: 'Nom',
    nameHint: 'Une lettre d’abord, puis lettres, chiffres, - ou _ ; de 2 à 40 caractères.',
    nameInvalid: 'Commencez par une lettre et n’utilisez que lettres, chiffres, - et _ (de 2 à 40 caractères).',
    nameTaken: 'Cet invité a déjà un instantané de ce nom.',
    description: 'Descriptif',
    vmstate: 'Inclure la RAM',
    vmstateHint:
      'Enregistre aussi la mémoire en cours : un retour reprend l’invité là où il en était. Plus long, et occupe sur disque la taille de sa mémoire.',
    vmstateStopped: 'L’invité est arrêté : il n’y a pas de RAM à enregistrer.',
    vmstateClipboard:
      'La RAM ne peut pas être enregistrée : l’affichage de l’invité partage le presse-papiers VNC (clipboard=vnc), que QEMU avant 10.1 ne sait pas enregistrer. Désactivez-le dans les options d’affichage et redémarrez l’invité, ou prenez l’instantané sans la RAM.',
    submit: 'Prendre l’instantané',
    failed: 'L’instantané n’a pas pu être pris.',
  },
  rollbackDialog: {
    title: 'Ramener {guest} à {name}',
    submit: 'Revenir à l’instantané',
    start: 'Démarrer l’invité après le retour',
    failed: 'Le retour à l’instantané n’a pas pu démarrer.',
    acknowledge: 'Je comprends ce que ce retour casse et je veux continuer.',
    acknowledgeNeeded: 'Cochez la case ci-dessus pour ramener cet invité en arrière.',
  },
  warning: {
    title: 'Un retour en arrière ne s’annule pas',
    loses:
      'Tout ce qui a été écrit sur les disques de {guest} depuis la prise de {name} ({date}) est perdu, ainsi que les instantanés pris après lui sur cette branche.',
    losesUndated: 'Tout ce qui a été écrit sur les disques de {guest} depuis la prise de {name} est perdu.',
    ramKept: 'L’instantané contient la RAM : l’invité reprend dans l’état où il était alors.',
    noRam: 'L’instantané ne contient pas la RAM : l’invité sera arrêté, et redémarré seulement si vous le demandez ci-dessous.',
    because: 'Reconnu par {source} : « {evidence} ».',
    sources: { name: 'son nom', tags: 'ses étiquettes', notes: 'ses notes' },
    'domain-controller': {
      title: 'Cet invité semble être un contrôleur de domaine Active Directory',
      body: 'Ramener un contrôleur de domaine en arrière provoque un « USN rollback » : ses partenaires de réplication cessent de lui faire confiance, les changements faits depuis l’instantané (comptes, mots de passe, groupes, approbations des ordinateurs) sont perdus ou divergent, et le domaine peut exiger une rétrogradation forcée et un nettoyage des métadonnées. Restaurez plutôt un DC depuis une sauvegarde de l’état système, ou isolez-le d’abord.',
    },
    directory: {
      title: 'Cet invité semble être un annuaire (LDAP)',
      body: 'Ramener un annuaire en arrière le met en retard sur ses réplicas : les entrées et mots de passe changés depuis l’instantané disparaissent ici, la réplication peut s’arrêter ou écraser des données plus récentes, et les clients obtiennent des réponses différentes. Arrêtez la réplication ou réinitialisez ensuite le réplica depuis un maître à jour.',
    },
    database: {
      title: 'Cet invité semble être un serveur de bases de données',
      body: 'Ramener un serveur de bases de données en arrière perd toutes les transactions validées depuis l’instantané : des applications qui ont reçu une confirmation ne retrouveront pas leurs données, et les réplicas ou lecteurs du binlog seront en avance sur ce serveur. Restaurez depuis une sauvegarde de la base, ou arrêtez d’abord les applications et les réplicas.',
    },
    general: {
      title: 'Vérifiez ce qui tourne sur cet invité',
      body: 'Les services qui répliquent ou tiennent des registres (annuaires, bases de données, contrôleurs de domaine, messagerie) se cassent quand leur disque remonte le temps. Assurez-vous que cet invité n’en fait pas tourner.',
    },
  },
  deleteConfirm: {
    title: 'Supprimer l’instantané {name} ?',
    body: 'L’instantané {name} de {guest} est supprimé ; l’état en cours et les autres instantanés restent. C’est irréversible.',
    submit: 'Supprimer l’instantané',
    failed: 'L’instantané n’a pas pu être supprimé.',
  },
  started: 'La tâche tourne ; sa progression s’affiche dans le panneau des tâches.',
};
