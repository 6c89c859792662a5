import { Inject, Injectable, Logger, OnApplicationShutdown, Provider } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@app/event-store';
import { PROJECTOR_LEASE, ProjectionManager, ProjectorLease, READ_MODEL_GENERATIONS, READ_MODEL_STORE, ReadModelGenerations } from '@app/read-models';

export const PROJECTION_MANAGER = Symbol('PROJECTION_MANAGER');

/**
 * The read models' generations as this process sees them. Embedded (the default), the service
 * projects: it catches up with the log before it serves the first request. Beside apps/projector,
 * it only reads the live generation and follows the projector's switches.
 */
export function projectionManagerProviders(writer: boolean): Provider[] {
  const logger = new Logger('Projection');
  return [
    {
      provide: PROJECTION_MANAGER,
      useFactory: (events: EventStore, generations: ReadModelGenerations, lease: ProjectorLease) =>
        ProjectionManager.start(events, generations, { writer, lease, onError: (error) => logger.error(`Projection: ${error.message}`) }),
      inject: [EVENT_STORE, READ_MODEL_GENERATIONS, PROJECTOR_LEASE],
    },
    { provide: READ_MODEL_STORE, useFactory: (manager: ProjectionManager) => manager.store, inject: [PROJECTION_MANAGER] },
    ProjectionManagerStopper,
  ];
}

@Injectable()
class ProjectionManagerStopper implements OnApplicationShutdown {
  constructor(@Inject(PROJECTION_MANAGER) private readonly manager: ProjectionManager) {}
  async onApplicationShutdown(): Promise<void> {
    await this.manager.stop();
  }
}
