import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newTotpSecret, verifyTotp } from './totp';

/** The secrets of the seeded accounts: generated once per state dir, printed only in LAB READY. */
export interface AccountSecrets {
  rootPassword: string;
  adminPassword: string;
  userPassword: string;
  tfaPassword: string;
  tfaTotpSecret: string;
  tfaRecoveryKeys: string[];
  /** Recovery keys already spent (each works once, as in PVE). */
  usedRecoveryKeys: string[];
  tokenSecret: string;
  /** root's password inside the Linux guests. */
  guestPassword: string;
}

export interface LabUser {
  userid: string;
  password: string;
  enable: boolean;
  totpSecret?: string;
  recoveryKeys?: string[];
  comment: string;
}

export interface LabToken {
  tokenid: string; // user@realm!id
  secret: string;
  privsep: boolean;
  comment: string;
}

export const SEEDED = {
  root: 'root@pam',
  admin: 'labadmin@pve',
  user: 'student@pve',
  tfa: 'tfauser@pve',
  tokenid: 'root@pam!lab',
  userPool: 'students',
} as const;

function password(): string {
  return randomBytes(12).toString('base64url');
}

/** PVE's recovery keys: 4 groups of 4 hex digits. */
function recoveryKey(): string {
  return (randomBytes(8).toString('hex').match(/.{4}/g) ?? []).join('-');
}

export function loadOrCreateSecrets(stateDir: string): { secrets: AccountSecrets; save: () => void } {
  const file = join(stateDir, 'accounts.json');
  let secrets: AccountSecrets;
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<AccountSecrets> & Omit<AccountSecrets, 'guestPassword'>;
    // State folders from before the guest password was generated: give them one now.
    secrets = { ...saved, guestPassword: saved.guestPassword ?? password() };
  } else {
    secrets = {
      rootPassword: password(),
      adminPassword: password(),
      userPassword: password(),
      tfaPassword: password(),
      tfaTotpSecret: newTotpSecret(),
      tfaRecoveryKeys: Array.from({ length: 10 }, recoveryKey),
      usedRecoveryKeys: [],
      tokenSecret: randomUUID(),
      guestPassword: password(),
    };
  }
  const save = (): void => writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  save();
  return { secrets, save };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Users and API tokens of one cluster (PVE's user.cfg and priv/token.cfg). */
export class AccountStore {
  readonly users = new Map<string, LabUser>();
  readonly tokens = new Map<string, LabToken>();

  constructor(
    private readonly secrets: AccountSecrets,
    private readonly saveSecrets: () => void,
  ) {
    this.users.set(SEEDED.root, { userid: SEEDED.root, password: secrets.rootPassword, enable: true, comment: 'Superuser' });
    this.users.set(SEEDED.admin, { userid: SEEDED.admin, password: secrets.adminPassword, enable: true, comment: 'Lab administrator' });
    this.users.set(SEEDED.user, { userid: SEEDED.user, password: secrets.userPassword, enable: true, comment: 'End user of the students pool' });
    this.users.set(SEEDED.tfa, {
      userid: SEEDED.tfa,
      password: secrets.tfaPassword,
      enable: true,
      totpSecret: secrets.tfaTotpSecret,
      recoveryKeys: secrets.tfaRecoveryKeys,
      comment: 'User with TOTP required',
    });
    this.tokens.set(SEEDED.tokenid, { tokenid: SEEDED.tokenid, secret: secrets.tokenSecret, privsep: false, comment: 'lab automation' });
  }

  checkPassword(userid: string, candidate: string): LabUser | undefined {
    const user = this.users.get(userid);
    if (!user || !user.enable) return undefined;
    return sameSecret(user.password, candidate) ? user : undefined;
  }

  checkToken(tokenid: string, secret: string): LabToken | undefined {
    const token = this.tokens.get(tokenid);
    if (!token) return undefined;
    const owner = this.users.get(tokenid.split('!')[0] ?? '');
    if (!owner?.enable) return undefined;
    return sameSecret(token.secret, secret) ? token : undefined;
  }

  revokeToken(tokenid: string): boolean {
    return this.tokens.delete(tokenid);
  }

  /** Second factor: `totp:<code>` or `recovery:<key>` (a key works once). */
  checkSecondFactor(userid: string, response: string): boolean {
    const user = this.users.get(userid);
    if (!user?.totpSecret) return false;
    const [kind, ...rest] = response.split(':');
    const value = rest.join(':').trim();
    if (kind === 'totp') return verifyTotp(user.totpSecret, value);
    if (kind === 'recovery') {
      if (!user.recoveryKeys?.includes(value) || this.secrets.usedRecoveryKeys.includes(value)) return false;
      this.secrets.usedRecoveryKeys.push(value);
      this.saveSecrets();
      return true;
    }
    return false;
  }

  /** Positions of the keys not used yet in the user's list, what PVE's challenge shows as `recovery`. */
  unusedRecoveryKeyIndices(userid: string): number[] {
    const keys = this.users.get(userid)?.recoveryKeys ?? [];
    return keys.flatMap((key, index) => (this.secrets.usedRecoveryKeys.includes(key) ? [] : [index]));
  }
}
