import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@app/event-store';
import { Projector, PROJECTOR_LEASE, ProjectorLease, READ_MODEL_STORE, ReadModelStore } from '@app/read-models';

/** Runs the projector inside the service: the embedded default, and the in-memory read models' only writer. */
@Injectable()
export class EmbeddedProjector implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projector');
  readonly projector: Projector;

  constructor(
    @Inject(EVENT_STORE) events: EventStore,
    @Inject(READ_MODEL_STORE) store: ReadModelStore,
    @Inject(PROJECTOR_LEASE) lease: ProjectorLease,
  ) {
    this.projector = new Projector(events, store, lease, { onError: (error) => this.logger.error(`Projector stopped: ${error.message}`) });
  }

  /** Catching up before the first request is served keeps answers of a fresh start complete. */
  async onApplicationBootstrap(): Promise<void> {
    await this.projector.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projector.stop();
  }
}
