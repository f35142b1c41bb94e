// Test support: the certificates and clean-up list the PVE client and TLS tests share.
import { afterEach, beforeAll } from 'vitest';
import { makeSelfSignedCertificate, type TestCertificate } from './test-certificate';

export type Cleanup = () => Promise<void> | void;

export interface TlsFixtures {
  /** The genuine server's certificate (CN pve1.test); made once per file. */
  readonly certificate: TestCertificate;
  /** Another self-signed certificate (CN impostor.test): what a server in the middle presents. */
  readonly other: TestCertificate;
  /** Steps run after the current test, the last one added first. */
  cleanup(...steps: Cleanup[]): void;
}

/** Registers the hooks in the calling test file: certificates in `beforeAll`, the clean-up steps in `afterEach`. */
export function useTlsFixtures(): TlsFixtures {
  let certificates: { certificate: TestCertificate; other: TestCertificate } | undefined;
  const cleanups: Cleanup[] = [];

  beforeAll(() => {
    certificates = { certificate: makeSelfSignedCertificate('pve1.test'), other: makeSelfSignedCertificate('impostor.test') };
  });

  afterEach(async () => {
    for (const step of cleanups.splice(0).reverse()) await step();
  });

  const made = () => {
    if (certificates === undefined) throw new Error('the TLS test certificates are made in beforeAll: read them inside a test or hook');
    return certificates;
  };
  return {
    get certificate() {
      return made().certificate;
    },
    get other() {
      return made().other;
    },
    cleanup: (...steps) => void cleanups.push(...steps),
  };
}
