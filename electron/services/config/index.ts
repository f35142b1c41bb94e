/** The public surface of config: the app's identity and folders, JSON files written whole, and why a write failed. */
export { appFolderName, appName, defaultConfigDir, defaultDataDir } from './app-identity';
export { readJsonFile, writeJsonFile } from './json-file';
export { ensurePrivateFolder, restrictToOwner } from './private-folder';
export { StorageError } from './storage-error';
