import { LivePointer, ReadModelGenerations } from '../generations.port';
import { RebuildQueue } from '../rebuild-queue.port';
import { ReadModelStore } from '../read-model-store.port';
import { MemoryReadModelStore } from './memory-read-model-store';

/** Generations in memory (the embedded mode): each a MemoryReadModelStore, the pointer a field. */
export class MemoryGenerations implements ReadModelGenerations, RebuildQueue {
  private pointer: LivePointer | null = null;
  private rebuildRequested = false;
  private rebuild: unknown = null;
  private readonly stores = new Map<number, MemoryReadModelStore>();
  private readonly readers = new Map<string, { generation: number; seenAt: number }>();

  async live(): Promise<LivePointer | null> {
    return this.pointer;
  }

  async open(generation: number): Promise<ReadModelStore> {
    let store = this.stores.get(generation);
    if (!store) this.stores.set(generation, (store = new MemoryReadModelStore()));
    return store;
  }

  async makeLive(pointer: LivePointer): Promise<void> {
    this.pointer = { ...pointer };
  }

  async drop(generation: number): Promise<void> {
    this.stores.delete(generation);
  }

  async list(): Promise<number[]> {
    return [...this.stores.keys()].sort((a, b) => a - b);
  }

  async reading(reader: string, generation: number): Promise<boolean> {
    this.readers.set(reader, { generation, seenAt: Date.now() });
    return true;
  }

  async left(reader: string): Promise<void> {
    this.readers.delete(reader);
  }

  async generationsRead(withinMs: number): Promise<number[]> {
    const since = Date.now() - withinMs;
    for (const [reader, { seenAt }] of this.readers) if (seenAt < since) this.readers.delete(reader);
    return [...new Set([...this.readers.values()].map((r) => r.generation))].sort((a, b) => a - b);
  }

  async requestRebuild(): Promise<void> {
    this.rebuildRequested = true;
  }

  async takeRebuildRequest(): Promise<boolean> {
    const requested = this.rebuildRequested;
    this.rebuildRequested = false;
    return requested;
  }

  async publishRebuild(status: unknown): Promise<void> {
    this.rebuild = status;
  }

  async publishedRebuild(): Promise<unknown> {
    return this.rebuild;
  }
}
