import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { MongoClient } from 'mongodb';
import { InProcessLease, PROJECTOR_LEASE, ProjectorLease } from '../projector/projector-lease.port';
import { MongoLease } from '../projector/mongo-lease';
import { MemoryReadModelStore } from '../store/memory/memory-read-model-store';
import { MongoReadModelStore } from '../store/mongo/mongo-read-model-store';
import { READ_MODEL_STORE, ReadModelStore } from '../store/read-model-store.port';
import { ReadModelConfig } from './read-model.config';

/** The opened read-model store, its projector lease, and how to let go of both. */
export interface ReadModelBackend {
  store: ReadModelStore;
  lease: ProjectorLease;
  close(): Promise<void>;
}

const READ_MODEL_BACKEND = Symbol('READ_MODEL_BACKEND');

export async function openReadModelBackend(config: ReadModelConfig | { instance: ReadModelStore }): Promise<ReadModelBackend> {
  if ('instance' in config) return { store: config.instance, lease: new InProcessLease(), close: () => config.instance.close() };
  if (config.kind === 'memory') {
    const store = new MemoryReadModelStore();
    return { store, lease: new InProcessLease(), close: () => store.close() };
  }
  const client = await MongoClient.connect(config.url);
  const db = client.db(config.database);
  const store = await MongoReadModelStore.open(db);
  return {
    store,
    lease: new MongoLease(db),
    close: async () => {
      await store.close();
      await client.close();
    },
  };
}

@Injectable()
class ReadModelBackendCloser implements OnApplicationShutdown {
  constructor(@Inject(READ_MODEL_BACKEND) private readonly backend: ReadModelBackend) {}
  async onApplicationShutdown(): Promise<void> {
    await this.backend.close();
  }
}

/** Provides the configured read-model store (READ_MODEL_STORE) and projector lease (PROJECTOR_LEASE). */
@Global()
@Module({})
export class ReadModelStoreModule {
  static forRoot(config: ReadModelConfig | { instance: ReadModelStore }): DynamicModule {
    return {
      module: ReadModelStoreModule,
      providers: [
        { provide: READ_MODEL_BACKEND, useFactory: () => openReadModelBackend(config) },
        { provide: READ_MODEL_STORE, useFactory: (backend: ReadModelBackend) => backend.store, inject: [READ_MODEL_BACKEND] },
        { provide: PROJECTOR_LEASE, useFactory: (backend: ReadModelBackend) => backend.lease, inject: [READ_MODEL_BACKEND] },
        ReadModelBackendCloser,
      ],
      exports: [READ_MODEL_STORE, PROJECTOR_LEASE],
    };
  }
}
