import { DynamicModule, Module, Provider } from '@nestjs/common';
import { ProjectorConfig, ReadModelConfig, ReadModelStore, ReadModelStoreModule } from '@app/read-models';
import { EmbeddedProjector } from './embedded-projector';
import { Freshness } from './freshness';

export interface ReadModelsOptions {
  readModel: ReadModelConfig | { instance: ReadModelStore };
  projector: ProjectorConfig;
}

/** The query side's infrastructure: the read-model store, read-your-writes waits, and the embedded projector. */
@Module({})
export class ReadModelsModule {
  static forRoot(options: ReadModelsOptions): DynamicModule {
    const providers: Provider[] = [Freshness];
    if (options.projector.embedded) providers.push(EmbeddedProjector);
    return { module: ReadModelsModule, global: true, imports: [ReadModelStoreModule.forRoot(options.readModel)], providers, exports: [Freshness] };
  }
}
