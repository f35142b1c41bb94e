import type { MessageSchema } from './en';

export const fr: MessageSchema = {
  app: {
    name: 'PVE Desk',
    hostLost: 'Connexion à l’hôte de l’application perdue. Reconnexion…',
  },
  nav: {
    inventory: 'Inventaire',
    connections: 'Connexions',
    settings: 'Paramètres',
  },
  topBar: {
    openPalette: 'Rechercher une commande',
    paletteHint: 'Ctrl+K',
    theme: 'Thème',
    language: 'Langue',
  },
  tree: {
    title: 'Ressources',
    filter: 'Filtrer les ressources',
    emptyTitle: 'Aucun cluster connecté',
    emptyBody: 'Ajoutez une connexion à un cluster Proxmox VE pour voir ici ses nœuds, VM et stockages.',
    addConnection: 'Ajouter une connexion',
  },
  inventory: {
    title: 'Inventaire',
    emptyTitle: 'Rien à afficher pour l’instant',
    emptyBody: 'Dès qu’un cluster est connecté, ses machines virtuelles apparaissent ici avec leur état, leur charge et leurs étiquettes.',
  },
  connections: {
    title: 'Connexions',
    emptyTitle: 'Aucune connexion',
    emptyBody: 'Une connexion contient l’adresse de l’API d’un cluster, la façon de s’y authentifier et le certificat auquel se fier.',
  },
  tasks: {
    title: 'Tâches',
    show: 'Afficher le journal des tâches',
    hide: 'Masquer le journal des tâches',
    empty: 'Aucune tâche. Les démarrages, sauvegardes et migrations que vous lancez s’afficheront ici avec leur progression.',
    columns: {
      start: 'Début',
      node: 'Nœud',
      description: 'Description',
      user: 'Utilisateur',
      status: 'État',
    },
  },
  settings: {
    title: 'Paramètres',
    appearance: 'Apparence',
    theme: 'Thème',
    language: 'Langue',
    about: 'À propos',
    version: 'Version {version}, servie par l’hôte {host} sous {platform}',
    hosts: { electron: 'de bureau', web: 'web' },
  },
  theme: {
    system: 'Suivre le système',
    light: 'Clair',
    dark: 'Sombre',
  },
  locale: {
    system: 'Suivre le système',
    en: 'English',
    fr: 'Français',
  },
  palette: {
    placeholder: 'Tapez une commande…',
    noMatch: 'Aucune commande ne correspond à « {query} ».',
    hint: '↑↓ pour choisir, Entrée pour lancer, Échap pour fermer',
    commands: {
      goInventory: 'Aller à l’inventaire',
      goConnections: 'Aller aux connexions',
      goSettings: 'Ouvrir les paramètres',
      themeLight: 'Utiliser le thème clair',
      themeDark: 'Utiliser le thème sombre',
      themeSystem: 'Suivre le thème du système',
      localeEn: 'Passer en anglais',
      localeFr: 'Passer en français',
      toggleTasks: 'Afficher ou masquer le journal des tâches',
    },
  },
  errors: {
    BAD_SENDER: 'La demande a été refusée car elle ne venait pas de la fenêtre de l’application.',
    UNKNOWN_METHOD: 'L’application a demandé une opération que son hôte ne connaît pas. Mettez à jour ou redémarrez l’application.',
    BAD_INPUT: 'L’application a envoyé des données que son hôte n’a pas pu accepter.',
    DISCONNECTED: 'L’hôte de l’application est injoignable. Redémarrez l’application si cela dure.',
    TIMEOUT: 'L’opération a pris trop de temps. Réessayez.',
    INTERNAL: 'Une erreur est survenue dans l’hôte de l’application. Le journal de l’application contient les détails.',
    settingsNotLoaded: 'Vos paramètres n’ont pas pu être lus ; les valeurs par défaut sont affichées.',
    settingsNotSaved: 'Vos paramètres n’ont pas pu être enregistrés.',
  },
};
