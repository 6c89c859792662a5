import { Logger, Provider } from '@nestjs/common';
import { chainCheckBeforeSwitch, EVENT_STORE, EventStore, OnBrokenChain } from '@app/event-store';
import { storedEvents } from '@app/personal-data';
import { PROJECTOR_LEASE, ProjectionManager, ProjectorConfig, ProjectorLease, READ_MODEL_GENERATIONS, READ_MODEL_STORE, ReadModelGenerations, RebuildQueue } from '@app/read-models';
import { Metrics } from '../metrics/metrics';
import { ProjectorThread, ProjectorThreadFiles } from './projector-thread';

export const PROJECTION_MANAGER = Symbol('PROJECTION_MANAGER');

/**
 * The read models' generations as this process sees them. Embedded (the default), the service
 * projects: it catches up with the log before it serves the first request, on its main thread or in
 * its projector thread. Beside apps/projector, it only reads the live generation and follows the
 * projector's switches.
 */
export function projectionManagerProviders(place: { projector: ProjectorConfig; projectorThread?: ProjectorThreadFiles }, onBrokenChain: OnBrokenChain): Provider[] {
  const logger = new Logger('Projection');
  return [
    {
      provide: PROJECTION_MANAGER,
      useFactory: async (events: EventStore, generations: ReadModelGenerations & RebuildQueue, lease: ProjectorLease, metrics: Metrics) => {
        const hooks = { onError: (message: string) => logger.error(`Projection: ${message}`), onWarning: (message: string) => logger.warn(message) };
        let manager: ProjectionManager | undefined;
        // The thread is the writer: it makes the first generation live, which a reader waits for.
        const thread = place.projectorThread
          ? await ProjectorThread.start({ ...place.projectorThread, onBrokenChain }, { ...hooks, onFlush: (batch) => metrics.flushed(batch), onFailed: () => manager?.writerFailed() })
          : undefined;
        manager = await ProjectionManager.start(events, generations, {
          writer: place.projector.embedded && !thread,
          lease,
          onError: (error) => hooks.onError(error.message),
          onFlush: (batch) => metrics.flushed(batch),
          onWarning: hooks.onWarning,
          // Chained as stored, below the personal-data layer.
          beforeSwitch: chainCheckBeforeSwitch(storedEvents(events), onBrokenChain, (finding, refuse) => logger.warn(`Rebuild ${refuse ? 'not switched to' : 'switched to despite'}: ${finding}`)),
          supervised: thread,
        });
        if (thread) events.onAppend?.(() => thread.appended());
        metrics.watch(manager);
        return manager;
      },
      inject: [EVENT_STORE, READ_MODEL_GENERATIONS, PROJECTOR_LEASE, Metrics],
    },
    // Stopped by GracefulShutdown, after the requests in flight and before the stores close.
    { provide: READ_MODEL_STORE, useFactory: (manager: ProjectionManager) => manager.store, inject: [PROJECTION_MANAGER] },
  ];
}
