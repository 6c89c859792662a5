import { Collection, Db } from 'mongodb';
import { isDuplicateKeyError } from '../store/mongo/mongo-server-quirks';
import { ProjectorLease } from './projector-lease.port';

export interface MongoLeaseOptions {
  /** The lease's name: one document per name (default 'projector'). */
  name?: string;
  /** Collection of lease documents (default 'projector_leases'). */
  collection?: string;
  /** The clock, in ms since the epoch (default `Date.now`; tests may move it). */
  now?: () => number;
}

interface LeaseDoc {
  _id: string;
  owner: string;
  /** The lease is free from this instant. */
  until: Date;
  renewedAt: Date;
}

/**
 * The projector lease in MongoDB: one document per lease name, `{ owner, until }`.
 *
 * Acquiring is a single conditional upsert: "where the lease is ours or has expired, make it ours
 * until now + ttl". When the document exists and neither holds, the filter matches nothing and the
 * upsert tries to insert a second document with the same `_id`, which fails on the unique `_id`
 * index: that duplicate-key error (11000 on MongoDB, possibly code 1 on FerretDB 1.x) means that
 * someone else holds the lease. No transactions, no server-side scripts: works on FerretDB 1.x.
 *
 * Clocks: expiry is computed with the caller's clock (`Date.now()`), not the server's, so the
 * hosts running projectors must agree on the time to well within the TTL (NTP keeps them within
 * milliseconds; the default TTL is 10 s and renewal happens every third of it). A host whose clock
 * runs ahead by more than the TTL could take over a lease that is still being renewed; the
 * holder then fails on its next renewal and stops writing.
 */
export class MongoLease implements ProjectorLease {
  private readonly leases: Collection<LeaseDoc>;
  private readonly name: string;
  private readonly now: () => number;

  constructor(db: Db, options: MongoLeaseOptions = {}) {
    this.leases = db.collection<LeaseDoc>(options.collection ?? 'projector_leases');
    this.name = options.name ?? 'projector';
    this.now = options.now ?? Date.now;
  }

  async tryAcquire(owner: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    try {
      await this.leases.updateOne(
        { _id: this.name, $or: [{ owner }, { until: { $lte: new Date(now) } }] },
        { $set: { owner, until: new Date(now + ttlMs), renewedAt: new Date(now) } },
        { upsert: true },
      );
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Frees the lease at once if `owner` holds it (a successor need not wait for the expiry). */
  async release(owner: string): Promise<void> {
    await this.leases.updateOne({ _id: this.name, owner }, { $set: { until: new Date(0) } });
  }

  /** Who holds the lease and until when (null when never taken); for operators and tests. */
  async holder(): Promise<{ owner: string; until: Date } | null> {
    const doc = await this.leases.findOne({ _id: this.name });
    return doc ? { owner: doc.owner, until: doc.until } : null;
  }
}
