/**
 * What a rollback would break on this guest, guessed from what the admin
 * called it, tagged it and wrote about it: domain controllers (USN rollback
 * breaks AD replication), directory servers (replicas diverge) and database
 * servers (committed transactions vanish, replicas and clients disagree).
 * A guess, so every other guest still gets the general warning.
 */

export type RollbackRiskKind = 'domain-controller' | 'directory' | 'database' | 'general';

export interface RollbackRisk {
  kind: RollbackRiskKind;
  /** The word that gave the guest away, as found, for the warning to quote. */
  evidence?: string;
  /** Where that word was. */
  source?: 'name' | 'tags' | 'notes';
}

export interface RollbackRiskInput {
  name?: string;
  tags?: readonly string[];
  notes?: string;
}

/** Terms by kind, most serious first; each must stand as a word of its own (`dc01`, `ad-dc`, `preprod-mysql`, but not `adder`). */
const terms: { kind: Exclude<RollbackRiskKind, 'general'>; words: string[] }[] = [
  {
    kind: 'domain-controller',
    words: [
      'domain controller',
      'domain-controller',
      'active directory',
      'active-directory',
      'addc',
      'ad dc',
      'ad-dc',
      'samba-ad',
      'adds',
      'pdc',
      'bdc',
      'dc',
      'ad',
    ],
  },
  { kind: 'directory', words: ['openldap', 'ldap', 'slapd', 'freeipa', '389ds', '389-ds', 'dirsrv', 'ipa'] },
  {
    kind: 'database',
    words: [
      'mysql',
      'mariadb',
      'galera',
      'percona',
      'postgresql',
      'postgres',
      'pgsql',
      'oracle',
      'mssql',
      'sqlserver',
      'sql',
      'mongodb',
      'mongo',
      'redis',
      'cassandra',
      'couchdb',
      'db',
      'database',
    ],
  },
];

/** Notes may be 64 KiB of markdown; what gives a server away sits near the top. */
const maxNotesRead = 8192;

function escaped(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

/** One pattern per kind: any of its words with no letter right before or after (digits and punctuation may touch it). */
const patterns = terms.map(({ kind, words }) => ({
  kind,
  pattern: new RegExp(`(?<![a-z])(?:${words.map((word) => escaped(word).replace(/ /g, '[\\s_-]+')).join('|')})(?![a-z])`, 'i'),
}));

/** The most serious risk found in the guest's name, then tags, then notes. */
export function rollbackRisk(guest: RollbackRiskInput): RollbackRisk {
  const sources: { source: RollbackRisk['source']; text: string }[] = [
    { source: 'name', text: guest.name ?? '' },
    { source: 'tags', text: (guest.tags ?? []).join(' ') },
    { source: 'notes', text: (guest.notes ?? '').slice(0, maxNotesRead) },
  ];
  for (const { kind, pattern } of patterns) {
    for (const { source, text } of sources) {
      const found = pattern.exec(text);
      if (found !== null) return { kind, evidence: found[0], source };
    }
  }
  return { kind: 'general' };
}

/** Kinds whose rollback the user must acknowledge in so many words before the button enables. */
export function needsAcknowledgement(risk: RollbackRisk): boolean {
  return risk.kind !== 'general';
}
