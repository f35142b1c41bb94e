/** English catalogue: the reference. The French one must have exactly the same keys (checked by the type and a test). */
export const en = {
  app: {
    name: 'PVE Desk',
    hostLost: 'Lost the connection to the application host. Reconnecting…',
  },
  nav: {
    inventory: 'Inventory',
    connections: 'Connections',
    settings: 'Settings',
  },
  topBar: {
    openPalette: 'Search commands',
    paletteHint: 'Ctrl+K',
    theme: 'Theme',
    language: 'Language',
  },
  tree: {
    title: 'Resources',
    filter: 'Filter resources',
    emptyTitle: 'No cluster connected',
    emptyBody: 'Add a connection to a Proxmox VE cluster to see its nodes, VMs and storage here.',
    addConnection: 'Add a connection',
  },
  inventory: {
    title: 'Inventory',
    emptyTitle: 'Nothing to show yet',
    emptyBody: 'Once a cluster is connected, its virtual machines appear here with their state, load and tags.',
  },
  connections: {
    title: 'Connections',
    emptyTitle: 'No connections yet',
    emptyBody: 'A connection holds the API address of a cluster, how to sign in and which certificate to trust.',
  },
  tasks: {
    title: 'Tasks',
    show: 'Show the task log',
    hide: 'Hide the task log',
    empty: 'No tasks yet. Power operations, backups and migrations you start will be listed here with their progress.',
    columns: {
      start: 'Start',
      node: 'Node',
      description: 'Description',
      user: 'User',
      status: 'Status',
    },
  },
  settings: {
    title: 'Settings',
    appearance: 'Appearance',
    theme: 'Theme',
    language: 'Language',
    about: 'About',
    version: 'Version {version}, served by the {host} host on {platform}',
    hosts: { electron: 'desktop', web: 'web' },
  },
  theme: {
    system: 'Follow the system',
    light: 'Light',
    dark: 'Dark',
  },
  locale: {
    system: 'Follow the system',
    en: 'English',
    fr: 'Français',
  },
  palette: {
    placeholder: 'Type a command…',
    noMatch: 'No command matches “{query}”.',
    hint: '↑↓ to choose, Enter to run, Esc to close',
    commands: {
      goInventory: 'Go to the inventory',
      goConnections: 'Go to connections',
      goSettings: 'Open settings',
      themeLight: 'Use the light theme',
      themeDark: 'Use the dark theme',
      themeSystem: 'Follow the system theme',
      localeEn: 'Switch to English',
      localeFr: 'Switch to French',
      toggleTasks: 'Show or hide the task log',
    },
  },
  errors: {
    BAD_SENDER: 'The request was refused because it did not come from the application window.',
    UNKNOWN_METHOD: 'The application asked for an operation its host does not know. Update or restart the app.',
    BAD_INPUT: 'The application sent data its host could not accept.',
    DISCONNECTED: 'The application host cannot be reached. Restart the app if this lasts.',
    TIMEOUT: 'The operation took too long. Try again.',
    INTERNAL: 'Something went wrong in the application host. The application log has the details.',
    settingsNotLoaded: 'Your settings could not be read; the defaults are shown.',
    settingsNotSaved: 'Your settings could not be saved.',
  },
};

export type MessageSchema = typeof en;
