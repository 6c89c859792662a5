import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { MongoClient } from 'mongodb';
import { InProcessLease, PROJECTOR_LEASE, ProjectorLease } from '../projector/projector-lease.port';
import { MongoLease } from '../projector/mongo-lease';
import { ReadModelGenerations } from '../store/generations.port';
import { RebuildQueue } from '../store/rebuild-queue.port';
import { MemoryGenerations } from '../store/memory/memory-generations';
import { MongoGenerations } from '../store/mongo/mongo-generations';
import { SqliteGenerations } from '../store/sqlite/sqlite-generations';
import { ReadModelConfig } from './read-model.config';

export const READ_MODEL_GENERATIONS = Symbol('READ_MODEL_GENERATIONS');

/** Where the read models live (their generations), the projector lease, and how to let go of both. */
export interface ReadModelBackend {
  /** The adapters keep the rebuild queue beside the live pointer: one object serves both ports. */
  generations: ReadModelGenerations & RebuildQueue;
  lease: ProjectorLease;
  close(): Promise<void>;
}

export type ReadModelBackendConfig = ReadModelConfig | { generations: ReadModelGenerations & RebuildQueue; lease?: ProjectorLease };

const READ_MODEL_BACKEND = Symbol('READ_MODEL_BACKEND');

export async function openReadModelBackend(config: ReadModelBackendConfig): Promise<ReadModelBackend> {
  if ('generations' in config) return { generations: config.generations, lease: config.lease ?? new InProcessLease(), close: async () => undefined };
  if (config.kind === 'sqlite') {
    const generations = new SqliteGenerations(config.path);
    return { generations, lease: new InProcessLease(), close: () => generations.close() };
  }
  if (config.kind === 'memory') return { generations: new MemoryGenerations(), lease: new InProcessLease(), close: async () => undefined };
  const client = await MongoClient.connect(config.url);
  const db = client.db(config.database);
  return { generations: new MongoGenerations(db), lease: new MongoLease(db), close: () => client.close() };
}

@Injectable()
class ReadModelBackendCloser implements OnApplicationShutdown {
  constructor(@Inject(READ_MODEL_BACKEND) private readonly backend: ReadModelBackend) {}
  async onApplicationShutdown(): Promise<void> {
    await this.backend.close();
  }
}

/** Provides the configured read-model generations (READ_MODEL_GENERATIONS) and projector lease (PROJECTOR_LEASE). */
@Global()
@Module({})
export class ReadModelStoreModule {
  static forRoot(config: ReadModelBackendConfig): DynamicModule {
    return {
      module: ReadModelStoreModule,
      providers: [
        { provide: READ_MODEL_BACKEND, useFactory: () => openReadModelBackend(config) },
        { provide: READ_MODEL_GENERATIONS, useFactory: (backend: ReadModelBackend) => backend.generations, inject: [READ_MODEL_BACKEND] },
        { provide: PROJECTOR_LEASE, useFactory: (backend: ReadModelBackend) => backend.lease, inject: [READ_MODEL_BACKEND] },
        ReadModelBackendCloser,
      ],
      exports: [READ_MODEL_GENERATIONS, PROJECTOR_LEASE],
    };
  }
}
