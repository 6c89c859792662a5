export const PROJECTOR_LEASE = Symbol('PROJECTOR_LEASE');

/**
 * Only one projector writes a read model at a time. A lease is held for `ttlMs` and renewed well
 * before it runs out; a holder that dies stops renewing, and another takes over after expiry.
 */
export interface ProjectorLease {
  /** True when `owner` now holds the lease (newly or still). */
  tryAcquire(owner: string, ttlMs: number): Promise<boolean>;
  release(owner: string): Promise<void>;
}

/** For the embedded mode: one process, so the lease is always ours. */
export class InProcessLease implements ProjectorLease {
  private holder: { owner: string; until: number } | null = null;

  async tryAcquire(owner: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    if (this.holder && this.holder.owner !== owner && this.holder.until > now) return false;
    this.holder = { owner, until: now + ttlMs };
    return true;
  }

  async release(owner: string): Promise<void> {
    if (this.holder?.owner === owner) this.holder = null;
  }
}
