import type { MessageSchema } from './en';
import { tasksFr } from '../features/tasks/messages.fr';
import { connectionsFr } from '../features/connections/messages.fr';
import { inventoryFr } from '../features/inventory/messages.fr';
import { operationsFr } from '../features/operations/messages.fr';
import { consolesFr } from '../features/consoles/messages.fr';
import { p2vFr } from '../features/p2v/messages.fr';
import { settingsFr } from '../features/settings/messages.fr';
import { paletteFr } from '../features/command-palette/messages.fr';

export const fr: MessageSchema = {
  app: {
    name: 'PVE Desk',
    hostLost: 'Connexion à l’hôte de l’application perdue. Reconnexion…',
    accessRefused:
      'Cette adresse a déjà servi à ouvrir l’application, ou l’application a été redémarrée depuis. Utilisez l’onglet où l’application est déjà ouverte, ou relancez l’application et ouvrez la nouvelle adresse qu’elle affiche.',
  },
  nav: {
    inventory: 'Inventaire',
    p2v: 'P2V',
    connections: 'Connexions',
    settings: 'Paramètres',
  },
  topBar: {
    sections: 'Rubriques',
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
  inventory: inventoryFr,
  operations: operationsFr,
  consoles: consolesFr,
  p2v: p2vFr,
  common: {
    cancel: 'Annuler',
    close: 'Fermer',
    save: 'Enregistrer',
    retry: 'Réessayer',
  },
  connections: connectionsFr,
  tasks: tasksFr,
  settings: settingsFr,
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
  palette: paletteFr,
  errors: {
    BAD_SENDER: 'La demande a été refusée car elle ne venait pas de la fenêtre de l’application.',
    UNKNOWN_METHOD: 'L’application a demandé une opération que son hôte ne connaît pas. Mettez à jour ou redémarrez l’application.',
    BAD_INPUT: 'L’application a envoyé des données que son hôte n’a pas pu accepter.',
    DISCONNECTED: 'L’hôte de l’application est injoignable. Redémarrez l’application si cela dure.',
    TIMEOUT: 'L’opération a pris trop de temps. Réessayez.',
    BUSY: 'Trop d’opérations sont en cours en même temps. Attendez que certaines se terminent, puis réessayez.',
    INTERNAL: 'Une erreur est survenue dans l’hôte de l’application. Le journal de l’application contient les détails.',
    NOT_FOUND: 'Cela n’existe plus ; peut-être supprimé depuis une autre fenêtre.',
    AUTH_FAILED: 'Le serveur a refusé l’authentification : vérifiez l’utilisateur, le domaine et le mot de passe ou le jeton.',
    SECOND_FACTOR_REQUIRED: 'Ce compte demande un second facteur ; connectez-vous depuis la liste des connexions pour le donner.',
    PERMISSION_DENIED: 'Le compte n’a pas le droit de faire cela sur le cluster.',
    UNREACHABLE: 'Le cluster est injoignable à toutes ses adresses.',
    TLS_MISMATCH: 'Le certificat du serveur n’est pas celui auquel vous avez fait confiance. Examinez-le avant de vous reconnecter.',
    TLS_UNTRUSTED: 'Le certificat du serveur n’est pas reconnu par cet ordinateur.',
    SERVER_ERROR: 'Le serveur a signalé une erreur.',
    BAD_RESPONSE: 'Le serveur a répondu de façon inattendue ; ce n’est peut-être pas Proxmox VE, ou une version que l’application ne connaît pas.',
    CANCELLED: 'L’opération a été annulée.',
    SECRETS_UNAVAILABLE: 'Le trousseau ou le stockage chiffré n’a pas pu être utilisé.',
    SSH_HOST_KEY_MISMATCH: 'La clé d’hôte SSH du nœud n’est pas celle reconnue auparavant : la connexion a été arrêtée.',
    SSH_HOST_KEY_REFUSED: 'La clé d’hôte SSH n’a pas été acceptée, la connexion n’a donc pas été établie.',
    SSH_AUTH_FAILED: 'Le nœud a refusé l’authentification SSH : vérifiez l’utilisateur, la clé, l’agent ou le mot de passe.',
    SSH_FAILED: 'La session SSH a échoué.',
    BAD_FILE: 'Ce fichier ne peut pas être utilisé.',
    STORAGE_FAILED: 'Le disque de cet ordinateur a refusé l’écriture.',
    STALE: 'Les données ont changé pendant leur lecture ; réessayez.',
    CONFLICT: 'Quelqu’un l’a modifié depuis son affichage ici ; rien n’a été écrit. Rechargez pour voir sa modification, puis refaites la vôtre.',
    NOT_RUNNING: 'L’invité n’est pas démarré : il n’a pas de console. Démarrez-le, puis reconnectez-vous.',
    GUEST_RUNNING: 'L’invité est démarré et cette modification demande qu’il soit arrêté. Arrêtez-le, puis réessayez.',
    settingsNotLoaded: 'Vos paramètres n’ont pas pu être lus ; les valeurs par défaut sont affichées.',
    settingsNotSaved: 'Vos paramètres n’ont pas pu être enregistrés.',
  },
};
