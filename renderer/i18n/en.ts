import { tasksEn } from '../features/tasks/messages.en';
import { connectionsEn } from '../features/connections/messages.en';
import { inventoryEn } from '../features/inventory/messages.en';
import { operationsEn } from '../features/operations/messages.en';
import { consolesEn } from '../features/consoles/messages.en';
import { p2vEn } from '../features/p2v/messages.en';
import { settingsEn } from '../features/settings/messages.en';
import { paletteEn } from '../features/command-palette/messages.en';
/** English catalogue: the reference. The French one must have exactly the same keys (checked by the type and a test). */
export const en = {
  app: {
    name: 'PVE Desk',
    hostLost: 'Lost the connection to the application host. Reconnecting…',
    accessRefused:
      'This address was already used to open the app, or the app was restarted since. Use the tab where the app is already open, or start the app again and open the new address it prints.',
  },
  nav: {
    inventory: 'Inventory',
    p2v: 'P2V',
    connections: 'Connections',
    settings: 'Settings',
  },
  topBar: {
    sections: 'Sections',
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
  inventory: inventoryEn,
  operations: operationsEn,
  consoles: consolesEn,
  p2v: p2vEn,
  common: {
    cancel: 'Cancel',
    close: 'Close',
    save: 'Save',
    retry: 'Retry',
  },
  connections: connectionsEn,
  tasks: tasksEn,
  settings: settingsEn,
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
  palette: paletteEn,
  errors: {
    BAD_SENDER: 'The request was refused because it did not come from the application window.',
    UNKNOWN_METHOD: 'The application asked for an operation its host does not know. Update or restart the app.',
    BAD_INPUT: 'The application sent data its host could not accept.',
    DISCONNECTED: 'The application host cannot be reached. Restart the app if this lasts.',
    TIMEOUT: 'The operation took too long. Try again.',
    BUSY: 'Too many operations are running at once. Wait for some to finish, then try again.',
    INTERNAL: 'Something went wrong in the application host. The application log has the details.',
    NOT_FOUND: 'It no longer exists; it may have been deleted in another window.',
    AUTH_FAILED: 'The server refused the sign-in: check the user, realm and password or token.',
    SECOND_FACTOR_REQUIRED: 'This account needs a second factor; connect from the connection list to give it.',
    PERMISSION_DENIED: 'The account is not allowed to do this on the cluster.',
    UNREACHABLE: 'The cluster could not be reached at any of its addresses.',
    TLS_MISMATCH: 'The server’s certificate is not the one you trusted. Review it before connecting again.',
    TLS_UNTRUSTED: 'The server’s certificate is not trusted by this computer.',
    SERVER_ERROR: 'The server reported an error.',
    BAD_RESPONSE: 'The server answered something unexpected; it may not be Proxmox VE, or a version this app does not know.',
    CANCELLED: 'The operation was cancelled.',
    SECRETS_UNAVAILABLE: 'The keychain or encrypted storage could not be used.',
    SSH_HOST_KEY_MISMATCH: 'The node’s SSH host key is not the one trusted before: the connection was stopped.',
    SSH_HOST_KEY_REFUSED: 'The SSH host key was not trusted, so the connection was not made.',
    SSH_AUTH_FAILED: 'The node refused the SSH sign-in: check the user, key, agent or password.',
    SSH_FAILED: 'The SSH session failed.',
    BAD_FILE: 'This file cannot be used.',
    STORAGE_FAILED: 'This computer’s disk refused the write.',
    STALE: 'The data changed while it was being read; try again.',
    CONFLICT: 'Someone changed it since it was shown here, so nothing was written. Reload to see their change, then make yours again.',
    NOT_RUNNING: 'The guest is not running, so it has no console. Start it, then connect again.',
    GUEST_RUNNING: 'The guest is running and this change needs it stopped. Shut it down, then try again.',
    settingsNotLoaded: 'Your settings could not be read; the defaults are shown.',
    settingsNotSaved: 'Your settings could not be saved.',
  },
};

export type MessageSchema = typeof en;
