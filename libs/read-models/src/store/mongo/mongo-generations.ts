import { Db } from 'mongodb';
import { LivePointer, ReadModelGenerations } from '../generations.port';
import { RebuildQueue } from '../rebuild-queue.port';
import { ReadModelStore } from '../read-model-store.port';
import { MongoReadModelStore, MongoReadModelStoreOptions } from './mongo-read-model-store';

interface PointerDoc {
  _id: string;
  generation: number;
  version: number;
  switchedAt: Date;
  rebuildRequestedAt?: Date;
  rebuild?: unknown;
}

interface ReaderDoc {
  _id: string;
  pointer: string;
  generation: number;
  seenAt: Date;
}

const GENERATION_PREFIX = /^g(\d+)_/;

/**
 * Generations in MongoDB: each generation's collections carry the prefix `g<n>_`; one pointer
 * document names the live one. Switching is a single-document write, atomic on MongoDB and on
 * FerretDB alike (neither a transaction nor renameCollection with dropTarget is needed).
 */
export class MongoGenerations implements ReadModelGenerations, RebuildQueue {
  constructor(
    private readonly db: Db,
    private readonly options: Omit<MongoReadModelStoreOptions, 'prefix'> & { name?: string } = {},
  ) {}

  private get pointerId(): string {
    return this.options.name ?? 'progress';
  }

  private get pointers() {
    return this.db.collection<PointerDoc>('read_model_pointer');
  }

  private get readers() {
    return this.db.collection<ReaderDoc>('read_model_readers');
  }

  async live(): Promise<LivePointer | null> {
    const doc = await this.pointers.findOne({ _id: this.pointerId });
    return doc ? { generation: doc.generation, version: doc.version } : null;
  }

  async open(generation: number): Promise<ReadModelStore> {
    const { name: _name, ...storeOptions } = this.options;
    return MongoReadModelStore.open(this.db, { ...storeOptions, prefix: `g${generation}_` });
  }

  async makeLive(pointer: LivePointer): Promise<void> {
    await this.pointers.updateOne(
      { _id: this.pointerId },
      { $set: { generation: pointer.generation, version: pointer.version, switchedAt: new Date() } },
      { upsert: true },
    );
  }

  async drop(generation: number): Promise<void> {
    for (const name of await this.collectionNames()) {
      if (name.startsWith(`g${generation}_`)) await this.db.collection(name).drop().catch(() => undefined);
    }
  }

  /** Heartbeats use the reader's clock: hosts must agree on the time to well within the staleness (as for MongoLease). */
  async reading(reader: string, generation: number): Promise<boolean> {
    await this.readers.updateOne({ _id: reader }, { $set: { pointer: this.pointerId, generation, seenAt: new Date() } }, { upsert: true });
    return true;
  }

  async left(reader: string): Promise<void> {
    await this.readers.deleteOne({ _id: reader });
  }

  async generationsRead(withinMs: number): Promise<number[]> {
    const since = new Date(Date.now() - withinMs);
    await this.readers.deleteMany({ pointer: this.pointerId, seenAt: { $lt: since } });
    const readers = await this.readers.find({ pointer: this.pointerId }, { projection: { generation: 1 } }).toArray();
    return [...new Set(readers.map((r) => r.generation))].sort((a, b) => a - b);
  }

  async requestRebuild(): Promise<void> {
    await this.pointers.updateOne({ _id: this.pointerId }, { $set: { rebuildRequestedAt: new Date() } }, { upsert: true });
  }

  /** Clears the request in the same write that reads it, so that one request starts one rebuild. */
  async takeRebuildRequest(): Promise<boolean> {
    const result = await this.pointers.updateOne({ _id: this.pointerId, rebuildRequestedAt: { $exists: true } }, { $unset: { rebuildRequestedAt: '' } });
    return result.modifiedCount === 1;
  }

  async publishRebuild(status: unknown): Promise<void> {
    await this.pointers.updateOne({ _id: this.pointerId }, { $set: { rebuild: status } }, { upsert: true });
  }

  async publishedRebuild(): Promise<unknown> {
    return (await this.pointers.findOne({ _id: this.pointerId }))?.rebuild ?? null;
  }

  async list(): Promise<number[]> {
    const generations = new Set<number>();
    for (const name of await this.collectionNames()) {
      const match = GENERATION_PREFIX.exec(name);
      if (match) generations.add(Number(match[1]));
    }
    return [...generations].sort((a, b) => a - b);
  }

  private async collectionNames(): Promise<string[]> {
    return (await this.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  }
}
