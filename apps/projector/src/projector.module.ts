import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, EventStore, EventStoreConfig, EventStoreModule } from '@app/event-store';
import { Projector, PROJECTOR_LEASE, ProjectorLease, READ_MODEL_STORE, ReadModelConfig, ReadModelStore, ReadModelStoreModule } from '@app/read-models';

/** Follows the log into the shared read models; only the holder of the lease writes, the others wait. */
@Injectable()
class ProjectorRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projector');
  private readonly projector: Projector;

  constructor(@Inject(EVENT_STORE) events: EventStore, @Inject(READ_MODEL_STORE) store: ReadModelStore, @Inject(PROJECTOR_LEASE) lease: ProjectorLease) {
    this.projector = new Projector(events, store, lease, {
      onError: (error) => {
        // A failed projector must not linger half-alive: exit, and let the supervisor restart it.
        this.logger.error(`Projector failed: ${error.message}`);
        process.exit(1);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.logger.log('Waiting for the projector lease');
    this.projector.start().then(
      () => this.logger.log(`Caught up at position ${this.projector.appliedPosition}; following the log`),
      (error: unknown) => {
        this.logger.error(`Projector could not start: ${String(error)}`);
        process.exit(1);
      },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projector.stop();
  }
}

@Module({})
export class ProjectorModule {
  static forRoot(options: { eventStore: EventStoreConfig; readModel: ReadModelConfig }): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [EventStoreModule.forRoot(options.eventStore), ReadModelStoreModule.forRoot(options.readModel)],
      providers: [ProjectorRunner],
    };
  }
}
