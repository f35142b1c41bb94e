import type { CertificateFingerprint } from './fingerprint';

/**
 * How the app decides to trust an endpoint's certificate: the system's CA
 * store, or the fingerprint the user accepted on first contact. There is no
 * third mode that trusts anything.
 */
export type TlsTrust = { mode: 'system' } | { mode: 'pinned'; fingerprint: CertificateFingerprint };
