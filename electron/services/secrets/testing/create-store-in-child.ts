// Run as a child process by create-secret-store.test.ts, so that the D-Bus
// address it is given is the one libsecret sees on its first connection
// (GDBus keeps the session bus once connected, so this cannot be done in-process).
// Usage: node --import tsx create-store-in-child.ts <configDir> <keyFile|none> <service>
import { createLogger } from '../../log';
import { createSecretStore } from '../create-secret-store';
import { createKeyFileEncryptor } from '../key-file-encryptor';

const [configDir, keyFile, service] = process.argv.slice(2);
if (configDir === undefined || keyFile === undefined || service === undefined) throw new Error('usage: <configDir> <keyFile|none> <service>');

const store = await createSecretStore({
  configDir,
  service,
  encryptor: keyFile === 'none' ? undefined : createKeyFileEncryptor({ keyFile }),
  logger: createLogger({ echo: true, minLevel: 'debug' }),
});
let stored: string;
try {
  await store.set('profile/child/password', 'child-secret-value');
  stored = (await store.get('profile/child/password')) === 'child-secret-value' ? 'round-trip' : 'mismatch';
} catch (error) {
  stored = `refused: ${(error as { code?: string }).code ?? 'unknown'}: ${(error as Error).message}`;
}
process.stdout.write(JSON.stringify({ backend: store.backend, stored }) + '\n');
