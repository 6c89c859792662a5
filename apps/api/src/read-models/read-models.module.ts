import { DynamicModule, Module } from '@nestjs/common';
import { ProjectorConfig, READ_MODEL_STORE, ReadModelBackendConfig, ReadModelStoreModule } from '@app/read-models';
import { OnBrokenChain, onBrokenChainFromEnv } from '@app/event-store';
import { Freshness } from './freshness';
import { PROJECTION_MANAGER, projectionManagerProviders } from './projection-manager.provider';
import { ProjectorThreadFiles } from './projector-thread';

export interface ReadModelsOptions {
  readModel: ReadModelBackendConfig;
  projector: ProjectorConfig;
  /** What a rebuild does on a broken hash chain; default from onBrokenChainFromEnv: refuse. */
  onBrokenChain?: OnBrokenChain;
  /** Present: the embedded projector runs in a worker thread on these files (see ProjectorThread). */
  projectorThread?: ProjectorThreadFiles;
}

/** The query side's infrastructure: the live read models, read-your-writes waits, and (embedded) the projection. */
@Module({})
export class ReadModelsModule {
  static forRoot(options: ReadModelsOptions): DynamicModule {
    return {
      module: ReadModelsModule,
      global: true,
      imports: [ReadModelStoreModule.forRoot(options.readModel)],
      providers: [...projectionManagerProviders(options, options.onBrokenChain ?? onBrokenChainFromEnv({})), Freshness],
      exports: [READ_MODEL_STORE, PROJECTION_MANAGER, Freshness],
    };
  }
}
