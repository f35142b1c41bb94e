import type { ConsoleSession } from '../../../../shared/domain/consoles';

/** The text sizes the font buttons step through, in CSS pixels. */
export const fontSizeRange = { min: 8, max: 32, initial: 14 } as const;

const storageKey = 'pve-desk.terminal.font-size';

/** Which console a size belongs to: one remembered size per guest serial line or node shell, whichever window or tab shows it. */
type ConsoleIdentity = Pick<ConsoleSession, 'profileId' | 'node' | 'kind' | 'vmid'>;

function consoleKey(session: ConsoleIdentity): string {
  return [session.profileId, session.node, session.kind, session.vmid ?? ''].join('/');
}

function readAll(storage: Storage): Record<string, number> {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(storageKey) ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, number>) : {};
  } catch {
    return {};
  }
}

export function clampFontSize(size: number): number {
  return Math.min(fontSizeRange.max, Math.max(fontSizeRange.min, Math.round(size)));
}

/** The size last chosen for this console, the initial one otherwise (or when what is stored is not a size). */
export function rememberedFontSize(session: ConsoleIdentity, storage: Storage = localStorage): number {
  const stored = readAll(storage)[consoleKey(session)];
  return typeof stored === 'number' && Number.isFinite(stored) ? clampFontSize(stored) : fontSizeRange.initial;
}

export function rememberFontSize(session: ConsoleIdentity, size: number, storage: Storage = localStorage): void {
  try {
    storage.setItem(storageKey, JSON.stringify({ ...readAll(storage), [consoleKey(session)]: size }));
  } catch {
    // Storage full or refused: the size still applies to this terminal, only not remembered.
  }
}
