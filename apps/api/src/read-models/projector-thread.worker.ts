import { parentPort, workerData } from 'node:worker_threads';
import { chainCheckBeforeSwitch, HashChainEventStore, SqliteEventStore } from '@app/event-store';
import { openPersonalData, storedEvents } from '@app/personal-data';
import { InProcessLease, ProjectionManager, SqliteGenerations } from '@app/read-models';
import type { ProjectorThreadData, ToProjectorThread, FromProjectorThread } from './projector-thread';

/**
 * The embedded projector's thread: the same ProjectionManager as a projector process, as the one
 * writer of the read models' file, on its own connections to the service's files. The main thread
 * owns the files' WAL checkpoints and tells this thread when it has appended.
 */
async function run(data: ProjectorThreadData, port: NonNullable<typeof parentPort>): Promise<void> {
  const post = (message: FromProjectorThread) => port.postMessage(message);
  const log = new SqliteEventStore(data.eventsPath, { checkpoints: false });
  // The main thread has already recovered the key store and finished interrupted erasures: here both find nothing to do.
  const events = await openPersonalData(new HashChainEventStore(log), data.personalData);
  const generations = new SqliteGenerations(data.readModelsPath, undefined, { checkpoints: false });
  let manager: ProjectionManager | undefined;
  manager = await ProjectionManager.start(events, generations, {
    writer: true,
    lease: new InProcessLease(),
    onFlush: (batch) => post({ kind: 'flush', batch }),
    onWarning: (message) => post({ kind: 'warning', message }),
    onError: (error) => {
      post({ kind: 'error', message: error.message });
      void manager?.status().then((status) => status.state === 'failed' && post({ kind: 'failed' }));
    },
    beforeSwitch: chainCheckBeforeSwitch(storedEvents(events), data.onBrokenChain, (finding, refuse) =>
      post({ kind: 'warning', message: `Rebuild ${refuse ? 'not switched to' : 'switched to despite'}: ${finding}` }),
    ),
  });
  port.on('message', (message: ToProjectorThread) => {
    if (message.kind === 'appended') log.appendedElsewhere();
    else
      void (async () => {
        await manager.stop();
        await generations.close();
        await events.close();
        post({ kind: 'stopped' });
        port.close();
      })();
  });
  post({ kind: 'live' });
}

const port = parentPort;
if (port) {
  run(workerData as ProjectorThreadData, port).catch((error: unknown) => {
    port.postMessage({ kind: 'error', message: error instanceof Error ? error.message : String(error) } satisfies FromProjectorThread);
    port.close();
  });
}
