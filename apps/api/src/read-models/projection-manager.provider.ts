import { Logger, Provider } from '@nestjs/common';
import { chainCheckBeforeSwitch, EVENT_STORE, EventStore, OnBrokenChain } from '@app/event-store';
import { storedEvents } from '@app/personal-data';
import { PROJECTOR_LEASE, ProjectionManager, ProjectorLease, READ_MODEL_GENERATIONS, READ_MODEL_STORE, ReadModelGenerations, RebuildQueue } from '@app/read-models';
import { Metrics } from '../metrics/metrics';

export const PROJECTION_MANAGER = Symbol('PROJECTION_MANAGER');

/**
 * The read models' generations as this process sees them. Embedded (the default), the service
 * projects: it catches up with the log before it serves the first request. Beside apps/projector,
 * it only reads the live generation and follows the projector's switches.
 */
export function projectionManagerProviders(writer: boolean, onBrokenChain: OnBrokenChain): Provider[] {
  const logger = new Logger('Projection');
  return [
    {
      provide: PROJECTION_MANAGER,
      useFactory: async (events: EventStore, generations: ReadModelGenerations & RebuildQueue, lease: ProjectorLease, metrics: Metrics) => {
        const manager = await ProjectionManager.start(events, generations, {
          writer,
          lease,
          onError: (error) => logger.error(`Projection: ${error.message}`),
          onFlush: (batch) => metrics.flushed(batch),
          onWarning: (message) => logger.warn(message),
          // Chained as stored, below the personal-data layer.
          beforeSwitch: chainCheckBeforeSwitch(storedEvents(events), onBrokenChain, (finding, refuse) => logger.warn(`Rebuild ${refuse ? 'not switched to' : 'switched to despite'}: ${finding}`)),
        });
        metrics.watch(manager);
        return manager;
      },
      inject: [EVENT_STORE, READ_MODEL_GENERATIONS, PROJECTOR_LEASE, Metrics],
    },
    // Stopped by GracefulShutdown, after the requests in flight and before the stores close.
    { provide: READ_MODEL_STORE, useFactory: (manager: ProjectionManager) => manager.store, inject: [PROJECTION_MANAGER] },
  ];
}
