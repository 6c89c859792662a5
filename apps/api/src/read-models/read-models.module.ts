import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import { InProcessLease, MemoryReadModelStore, PROJECTOR_LEASE, READ_MODEL_STORE, ReadModelStore } from '@app/read-models';
import { EmbeddedProjector } from './embedded-projector';
import { Freshness } from './freshness';
import { ProjectorConfig, ReadModelConfig } from './read-model.config';

@Injectable()
class ReadModelStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(READ_MODEL_STORE) private readonly store: ReadModelStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

export interface ReadModelsOptions {
  readModel: ReadModelConfig | { instance: ReadModelStore };
  projector: ProjectorConfig;
}

/** Provides the read-model store (READ_MODEL_STORE), read-your-writes waits, and the embedded projector. */
@Global()
@Module({})
export class ReadModelsModule {
  static forRoot(options: ReadModelsOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: READ_MODEL_STORE, useFactory: () => openReadModelStore(options.readModel) },
      { provide: PROJECTOR_LEASE, useFactory: () => new InProcessLease() },
      Freshness,
      ReadModelStoreCloser,
    ];
    if (options.projector.embedded) providers.push(EmbeddedProjector);
    return { module: ReadModelsModule, providers, exports: [READ_MODEL_STORE, PROJECTOR_LEASE, Freshness] };
  }
}

async function openReadModelStore(config: ReadModelConfig | { instance: ReadModelStore }): Promise<ReadModelStore> {
  if ('instance' in config) return config.instance;
  switch (config.kind) {
    case 'memory':
      return new MemoryReadModelStore();
    case 'mongo':
      throw new Error('The MongoDB read-model store is not wired yet');
  }
}
