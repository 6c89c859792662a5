import { Collection, Db, MongoServerError } from 'mongodb';
import { DataKeyRecord, KeyStore, KeyUse, SpareKey, spareSubject } from './key-store.port';

interface KeyDoc {
  _id: string;
  subject: string;
  wrappedKey: string;
}

interface UseDoc {
  _id: string;
  keyId: string;
  streamId: string;
}

/**
 * The production key store: two collections beside the read models. A deleted document's bytes
 * are left to the storage engine to reuse; what makes the erasure final is that the only copy of
 * the key was this document (run MongoDB with encrypted storage and no backups older than the
 * retention period allows, or put the master key in a KMS and rotate it).
 */
export class MongoKeyStore implements KeyStore {
  private readonly keys: Collection<KeyDoc>;
  private readonly uses: Collection<UseDoc>;
  private indexes?: Promise<unknown>;

  /** `onClose` releases what the store's opener holds (its client). */
  constructor(
    db: Db,
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {
    this.keys = db.collection<KeyDoc>('personal_data_keys');
    this.uses = db.collection<UseDoc>('personal_data_key_uses');
  }

  private ready(): Promise<unknown> {
    this.indexes ??= Promise.all([this.keys.createIndex({ subject: 1 }, { unique: true }), this.uses.createIndex({ keyId: 1 })]);
    return this.indexes;
  }

  async findBySubject(subject: string): Promise<DataKeyRecord | undefined> {
    await this.ready();
    const doc = await this.keys.findOne({ subject });
    return doc ? { keyId: doc._id, subject: doc.subject, wrappedKey: doc.wrappedKey } : undefined;
  }

  async addSpares(keys: readonly SpareKey[]): Promise<void> {
    await this.ready();
    if (keys.length === 0) return;
    await this.keys.insertMany(
      keys.map((k) => ({ _id: k.keyId, subject: spareSubject(k.keyId), wrappedKey: k.wrappedKey })),
      { ordered: false, writeConcern: { w: 'majority', j: true } },
    );
  }

  /** Journaled on a majority before it answers, as before spares existed: nothing to derive again at start. */
  async save(records: readonly DataKeyRecord[], uses: readonly KeyUse[]): Promise<Map<string, DataKeyRecord>> {
    await this.ready();
    if (records.length > 0) {
      try {
        await this.keys.bulkWrite(
          records.map((r) => ({ updateOne: { filter: { _id: r.keyId, subject: spareSubject(r.keyId) }, update: { $set: { subject: r.subject } } } })),
          { ordered: false, writeConcern: { w: 'majority', j: true } },
        );
      } catch (error) {
        // A racing writer gave the subject its key first: that one is kept, our spare stays spare.
        if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
      }
    }
    const subjects = [...new Set([...records, ...uses].map((x) => x.subject))];
    const docs = await this.keys.find({ subject: { $in: subjects } }).toArray();
    const kept = new Map(docs.map((d) => [d.subject, { keyId: d._id, subject: d.subject, wrappedKey: d.wrappedKey }]));
    const writes = uses.flatMap(({ subject, streamId }) => {
      const keyId = kept.get(subject)?.keyId;
      return keyId ? [{ updateOne: { filter: { _id: `${keyId}\u0000${streamId}` }, update: { $setOnInsert: { keyId, streamId } }, upsert: true } }] : [];
    });
    if (writes.length > 0) await this.uses.bulkWrite(writes, { ordered: false });
    return kept;
  }

  async recoveryPoint(): Promise<undefined> {
    return undefined;
  }

  appended(): void {
    // Every save is durable already.
  }

  async wrappedKeys(keyIds: readonly string[]): Promise<Map<string, string>> {
    if (keyIds.length === 0) return new Map();
    const docs = await this.keys.find({ _id: { $in: [...keyIds] } }).toArray();
    return new Map(docs.map((doc) => [doc._id, doc.wrappedKey]));
  }

  async streamsOf(keyId: string): Promise<string[]> {
    const docs = await this.uses.find({ keyId }).toArray();
    return docs.map((doc) => doc.streamId).sort();
  }

  async destroy(keyIds: readonly string[]): Promise<void> {
    if (keyIds.length === 0) return;
    await this.keys.deleteMany({ _id: { $in: [...keyIds] } }, { writeConcern: { w: 'majority', j: true } });
    await this.uses.deleteMany({ keyId: { $in: [...keyIds] } });
  }

  close(): Promise<void> {
    return this.onClose();
  }
}
