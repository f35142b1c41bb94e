import type { commonEn } from './common.en';

/** Messages des consoles en français : commun (onglets, barre d'outils, état, erreurs, actions de l'inventaire). */
export const commonFr: typeof commonEn = {
  view: {
    tabs: 'Consoles ouvertes',
    empty: 'Aucune console n’est ouverte. Ouvrez-en une depuis un invité ou un nœud : actions Console et Shell de son menu ou de son en-tête.',
    notAConsole: 'Cette adresse ne désigne aucune console.',
  },
  nav: {
    consoles: 'Consoles',
    openCount: 'Consoles, {count} ouvertes',
  },
  actions: {
    vnc: 'Console VNC',
    spice: 'Console SPICE',
    serial: 'Console série',
    remoteViewer: 'Ouvrir dans remote-viewer',
    shell: 'Terminal du nœud',
    shellSsh: 'Terminal du nœud (SSH)',
    missingPrivilege: 'Requiert le privilège {privilege}',
  },
  palette: {
    guest: 'Ouvrir la console de {guest}',
  },
  remoteViewer: {
    launched: 'remote-viewer ouvre la console de {guest}.',
    failed: 'remote-viewer n’a pas pu être lancé.',
    missingTitle: 'remote-viewer n’est pas installé',
    missing: 'Installez remote-viewer (virt-viewer), puis réessayez :',
    runCommand: 'Lancez cette commande dans un terminal :',
    windows: 'Téléchargez virt-viewer pour Windows sur virt-manager.org (rubrique Download) et installez-le.',
    other: 'Installez le paquet virt-viewer avec le gestionnaire de paquets de votre système.',
  },
  status: {
    label: 'Connexion',
    connecting: 'Connexion…',
    connected: 'Connecté',
    reconnecting: 'Connexion perdue : reconnexion (essai {attempt}, attente {seconds} s)',
    failed: 'Non connecté',
    startingGuest: 'Démarrage de l’invité ; la console se connecte dès qu’il tourne…',
    spicePath: {
      answered: 'par le proxy SPICE indiqué par PVE ({address})',
      'api-host': 'par le port 3128 de l’hôte de l’API ({address}), le proxy de PVE ne répondant pas',
      'ssh-tunnel': 'par un tunnel SSH vers le proxy du nœud ({address}), les autres proxys ne répondant pas',
      tried: 'sans réponse : {addresses}',
    },
  },
  errors: {
    'token-refused': {
      title: 'Le lien de la console a été refusé',
      text: 'Le lien à usage unique de cette console a expiré ou a déjà servi. Reconnectez-vous pour en obtenir un nouveau.',
    },
    unreachable: {
      title: 'La console est injoignable',
      text: 'Le nœud ou le proxy de sa console ne répond pas. Vérifiez que le nœud fonctionne et est joignable depuis cet ordinateur, puis reconnectez-vous.',
    },
    certificate: {
      title: 'Le certificat de la console n’est pas celui approuvé',
      text: 'Le serveur a présenté un certificat que l’application n’approuve pas pour ce nœud : la connexion a été arrêtée. Vérifiez le certificat du nœud dans les paramètres de connexion avant de vous reconnecter.',
    },
    'auth-failed': {
      title: 'La console a refusé son ticket',
      text: 'Le ticket de la console a expiré ou votre session a pris fin. Reconnectez-vous ; si cela se reproduit, reconnectez-vous au cluster.',
    },
    dropped: {
      title: 'La connexion à la console a été coupée',
      text: 'La connexion à la console s’est terminée. Reconnectez-vous quand l’invité ou le nœud est de retour.',
    },
    protocol: {
      title: 'La console a répondu un protocole inattendu',
      text: 'La console a répondu quelque chose que l’application ne comprend pas. Reconnectez-vous ; si cela se reproduit, signalez-le avec les détails ci-dessous.',
    },
    'not-running': {
      title: 'L’invité n’est pas démarré',
      text: 'Un invité arrêté n’a pas de console. Démarrez-le : la console se connecte dès qu’il tourne.',
    },
    permission: {
      title: 'Vous n’avez pas le droit d’ouvrir cette console',
      text: 'Votre utilisateur n’a pas le privilège de console (VM.Console sur l’invité, Sys.Console sur un nœud). Demandez-le à un administrateur.',
    },
    other: {
      title: 'La console n’a pas pu être ouverte',
      text: 'Reconnectez-vous ; si cela se reproduit, les détails ci-dessous disent ce que le serveur a répondu.',
    },
    detail: 'Détails : {detail}',
  },
  buttons: {
    startGuest: 'Démarrer l’invité',
    reconnect: 'Reconnecter',
    cancelReconnect: 'Arrêter la reconnexion',
  },
  toolbar: {
    label: 'Commandes de la console',
    scaling: 'Mise à l’échelle',
    scalingModes: {
      fit: 'Ajuster',
      actual: 'Taille réelle',
      remote: 'Redimensionner l’invité',
    },
    keys: 'Touches',
    keysTitle: 'Envoyer une combinaison de touches que l’application ou le système intercepterait (Ctrl+Alt+Suppr, Ctrl+Alt+F1…)',
    fullscreen: 'Plein écran',
    exitFullscreen: 'Quitter le plein écran',
    viewOnly: 'Lecture seule',
    screenshot: 'Capture d’écran',
    clipboard: 'Presse-papiers',
    typeClipboard: 'Saisir du texte',
    more: 'Plus',
    detach: 'Détacher',
    reconnect: 'Reconnecter',
    close: 'Fermer',
    releaseKeyboard: 'Libérer le clavier',
    keyboardShortHint: 'Ctrl+Alt+Maj libère le clavier',
    keyboardHint:
      'Tant que la console a le focus, elle prend toutes les touches. Ctrl+Alt+Maj ou le bouton Libérer le clavier rend le clavier à l’application.',
  },
  keyNames: {
    del: 'Suppr',
    print: 'Impr. écran',
  },
  clipboard: {
    title: 'Presse-papiers',
    guestText: 'Le presse-papiers de l’invité : le dernier texte copié dans l’invité. Modifiez-le ou collez le vôtre, puis envoyez-le à l’invité.',
    empty: 'L’invité n’a encore rien copié.',
    send: 'Envoyer à l’invité',
    sent: 'Envoyé au presse-papiers de l’invité.',
    refused: 'L’invité ne peut pas recevoir de texte du presse-papiers.',
    close: 'Fermer',
  },
  screenshotFailed: 'La capture d’écran n’a pas pu être faite.',
  detachFailed: 'La console n’a pas pu s’ouvrir dans sa propre fenêtre.',
  viewerMissing: 'Ce type de console n’est pas disponible dans cette version de l’application.',
  viewerLoading: 'Chargement de la visionneuse…',
  kinds: {
    vnc: 'VNC',
    spice: 'SPICE',
    serial: 'Série',
    shell: 'Terminal',
  },
};
