import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { chainCheckBeforeSwitch, EVENT_STORE, EventStore, EventStoreConfig, EventStoreModule, OnBrokenChain } from '@app/event-store';
import { LoggerModule } from 'nestjs-pino';
import { openPersonalData, PersonalDataConfig, storedEvents } from '@app/personal-data';
import { PROJECTOR_LEASE, ProjectionManager, ProjectorLease, READ_MODEL_GENERATIONS, ReadModelConfig, ReadModelGenerations, ReadModelStoreModule, RebuildQueue } from '@app/read-models';

const ON_BROKEN_CHAIN = Symbol('ON_BROKEN_CHAIN');

/**
 * Follows the log into the shared read models. Only the holder of the lease projects; the others
 * wait and take over when it dies. A newer projection version rebuilds beside the live models.
 */
@Injectable()
class ProjectorRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projector');
  private manager?: ProjectionManager;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_GENERATIONS) private readonly generations: ReadModelGenerations & RebuildQueue,
    @Inject(PROJECTOR_LEASE) private readonly lease: ProjectorLease,
    @Inject(ON_BROKEN_CHAIN) private readonly onBrokenChain: OnBrokenChain,
  ) {}

  onApplicationBootstrap(): void {
    this.logger.log('Waiting for the projector lease');
    ProjectionManager.start(this.events, this.generations, {
      writer: true,
      lease: this.lease,
      // A failed projector must not linger half-alive: exit, and let the supervisor restart it.
      onError: (error) => this.exit(`Projection failed: ${error.message}`),
      onWarning: (message) => this.logger.warn(message),
      // A refusal fails the rebuild (and so ends up in onError); a finding only reported is logged here.
      beforeSwitch: chainCheckBeforeSwitch(storedEvents(this.events), this.onBrokenChain, (finding, refuse) => refuse || this.logger.warn(`Rebuild switched to despite: ${finding}`)),
    }).then(
      async (manager) => {
        this.manager = manager;
        const status = await manager.status();
        this.logger.log(`Live generation ${status.generation} caught up at position ${status.position}; following the log`);
      },
      (error: unknown) => this.exit(`Projector could not start: ${String(error)}`),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.manager?.stop();
  }

  private exit(message: string): void {
    this.logger.error(message);
    process.exit(1);
  }
}

@Module({})
export class ProjectorModule {
  static forRoot(options: { eventStore: EventStoreConfig; readModel: ReadModelConfig; logging: { level: string; pretty: boolean }; personalData: PersonalDataConfig; onBrokenChain: OnBrokenChain }): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [
        // JSON lines like the API's (LOG_LEVEL, LOG_FORMAT); no HTTP here, so no request lines.
        LoggerModule.forRoot({
          pinoHttp: { level: options.logging.level, ...(options.logging.pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, singleLine: true } } } : {}) },
        }),
        EventStoreModule.forRoot(options.eventStore, (store) => openPersonalData(store, options.personalData)),
        ReadModelStoreModule.forRoot(options.readModel),
      ],
      providers: [ProjectorRunner, { provide: ON_BROKEN_CHAIN, useValue: options.onBrokenChain }],
    };
  }
}
