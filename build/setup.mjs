#!/usr/bin/env node
// Makes a fresh clone ready: the Debian packages the app and its tests drive, then the npm
// dependencies. Plain Node with no dependency, because it runs before `npm ci`.
// Usage: node build/setup.mjs run|test
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** What each command needs from Debian. keytar's build needs libsecret before `npm ci`. */
const debianPackages = {
  run: [
    'libsecret-1-dev',
    'gnome-keyring',
    'dbus',
    'qemu-system-x86',
    'qemu-utils',
    'openssh-server',
    'openssh-client',
    'openssl',
    'curl',
    'busybox-static',
    'cpio',
    'linux-image-amd64',
    // The lab's nodes have what every PVE node has: pveproxy's Net::SSLeay hashes the P2V verification's blocks.
    'libnet-ssleay-perl',
  ],
  test: [
    'chromium',
    'xvfb',
    'xauth',
    'virt-viewer',
    'websockify',
    'socat',
    'python3-proxmoxer',
    'python3-requests',
    'oathtool',
    'imagemagick',
    'fonts-dejavu-core',
  ],
};

function missingPackages(names) {
  return names.filter((name) => {
    const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return !result.stdout.includes('install ok installed');
  });
}

function installDebianPackages(names) {
  const missing = missingPackages(names);
  if (missing.length === 0) return;
  const command = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    console.error(`Missing Debian packages: ${missing.join(' ')}. Run: sudo apt-get update && sudo ${command}`);
    process.exit(1);
  }
  console.log(`Installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
}

/** node_modules is current when npm's own record of it is newer than the lock file. */
function npmDependenciesCurrent() {
  const record = join(root, 'node_modules', '.package-lock.json');
  return existsSync(record) && statSync(record).mtimeMs >= statSync(join(root, 'package-lock.json')).mtimeMs;
}

function installNpmDependencies() {
  if (npmDependenciesCurrent()) return;
  console.log('Installing npm dependencies (npm ci)…');
  // Electron's binary cannot be downloaded on these machines; its type definitions are all we need here.
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  });
}

const purpose = process.argv[2] ?? 'run';
if (!(purpose in debianPackages)) {
  console.error(`Unknown purpose "${purpose}": use run or test.`);
  process.exit(2);
}
const { engines } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Node ${process.versions.node} is too old: this project needs ${engines.node}.`);
  process.exit(1);
}
installDebianPackages(purpose === 'test' ? [...debianPackages.run, ...debianPackages.test] : debianPackages.run);
installNpmDependencies();
