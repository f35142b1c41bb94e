import { randomBytes } from 'node:crypto';

export interface IssuedItemsOptions {
  /** The oldest item is forgotten when one more is issued. */
  maxItems: number;
  ttlMs: number;
  now?: () => number;
}

/**
 * Things the main process handed out and a later call may refer to by a
 * random id (a certificate question, an import plan): the caller can only
 * pick one of these, never bring its own. Bounded and expiring, so a caller
 * that never comes back cannot make the map grow.
 */
export class IssuedItems<T> {
  private readonly items = new Map<string, { item: T; expires: number }>();
  private readonly now: () => number;

  constructor(private readonly options: IssuedItemsOptions) {
    this.now = options.now ?? Date.now;
  }

  issue(item: T): string {
    this.dropExpired();
    const id = randomBytes(16).toString('hex');
    this.items.set(id, { item, expires: this.now() + this.options.ttlMs });
    // A Map iterates in insertion order: the first key is the oldest.
    while (this.items.size > this.options.maxItems) this.items.delete(this.items.keys().next().value as string);
    return id;
  }

  /** The item, once: it is forgotten as it is taken. */
  take(id: string): T | undefined {
    const entry = this.items.get(id);
    this.items.delete(id);
    return entry !== undefined && entry.expires > this.now() ? entry.item : undefined;
  }

  get size(): number {
    return this.items.size;
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [id, entry] of this.items) if (entry.expires <= now) this.items.delete(id);
  }
}
