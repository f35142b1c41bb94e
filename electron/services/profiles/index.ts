/** The public surface of the profile store: saved connection profiles and the secrets bound to them. */
export { ProfileStore, profilesFileName } from './profile-store';
export { ProfileSecrets, profileSecretKey, secretsUnboundBy } from './profile-secrets';
