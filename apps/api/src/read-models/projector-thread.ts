import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EventStore, EventStoreConfig, OnBrokenChain } from '@app/event-store';
import { PersonalDataConfig, PersonalDataOptions } from '@app/personal-data';
import { FlushReport, ReadModelBackendConfig } from '@app/read-models';

/** What the projector thread opens: the service's own files. */
export interface ProjectorThreadFiles {
  eventsPath: string;
  readModelsPath: string;
  personalData: PersonalDataConfig;
  /** The thread's heap limit (see ProjectorConfig.threadHeapMb); Node's default without it. */
  heapMb?: number;
}

export interface ProjectorThreadData extends ProjectorThreadFiles {
  onBrokenChain: OnBrokenChain;
}

/**
 * The thread opens what the service opened, by path: events and read models in SQLite files, the
 * personal-data keys by configuration (not an instance, which could not cross to another thread).
 */
export function projectorThreadFiles(service: {
  eventStore: EventStoreConfig | { instance: EventStore };
  readModel: ReadModelBackendConfig;
  personalData?: PersonalDataOptions;
  heapMb?: number;
}): ProjectorThreadFiles {
  const { eventStore, readModel, personalData, heapMb } = service;
  if (!('kind' in eventStore) || eventStore.kind !== 'sqlite' || !('kind' in readModel) || readModel.kind !== 'sqlite' || !personalData || !('masterKeyFile' in personalData)) {
    throw new Error('The projector thread needs the events and the read models in SQLite files and the personal-data keys by configuration (PROJECTOR_THREAD=main otherwise)');
  }
  return { eventsPath: eventStore.path, readModelsPath: readModel.path, personalData, ...(heapMb ? { heapMb } : {}) };
}

export type ToProjectorThread = { kind: 'appended' } | { kind: 'stop' };

export type FromProjectorThread =
  | { kind: 'live' }
  | { kind: 'flush'; batch: FlushReport }
  | { kind: 'warning'; message: string }
  /** Before `live`: the thread could not start, and has ended. */
  | { kind: 'error'; message: string }
  /** The live generation's projector has failed (see ProjectionManager's status). */
  | { kind: 'failed' }
  | { kind: 'stopped' };

export interface ProjectorThreadHooks {
  onFlush(batch: FlushReport): void;
  onWarning(message: string): void;
  onError(message: string): void;
  /** The live projector failed, or the thread ended without being asked to. */
  onFailed(): void;
}

/** Compiled beside this file: a worker runs JavaScript, so the thread exists only in the built service. */
const WORKER_FILE = join(__dirname, 'projector-thread.worker.js');

/**
 * The embedded projector in a worker thread of the service, so that applying events and writing
 * the read models' documents take nothing from the thread that answers requests. It is started
 * once the main thread has opened the files, and has caught up with the log when start() resolves.
 */
export class ProjectorThread {
  private stopping = false;
  private readonly exited: Promise<void>;

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
  }

  static async start(data: ProjectorThreadData, hooks: ProjectorThreadHooks): Promise<ProjectorThread> {
    if (!existsSync(WORKER_FILE)) throw new Error(`${WORKER_FILE} is missing: the projector thread runs in the built service (npm run build)`);
    const worker = new Worker(WORKER_FILE, { workerData: data, ...(data.heapMb ? { resourceLimits: { maxOldGenerationSizeMb: data.heapMb } } : {}) });
    const thread = new ProjectorThread(worker);
    await new Promise<void>((resolve, reject) => {
      let live = false;
      worker.on('message', (message: FromProjectorThread) => {
        if (message.kind === 'live') {
          live = true;
          resolve();
        } else if (message.kind === 'flush') hooks.onFlush(message.batch);
        else if (message.kind === 'warning') hooks.onWarning(message.message);
        else if (message.kind === 'failed') hooks.onFailed();
        // Its files are closed: nothing it still holds (an idle timer of a library) may keep it.
        else if (message.kind === 'stopped') void worker.terminate();
        else if (message.kind === 'error') {
          if (!live) reject(new Error(`The projector thread could not start: ${message.message}`));
          else hooks.onError(message.message);
        }
      });
      worker.on('error', (error) => (live ? hooks.onError(error.message) : reject(error)));
      worker.on('exit', (code) => {
        if (!live) reject(new Error(`The projector thread ended (${code}) before it caught up with the log`));
        else if (!thread.stopping) {
          hooks.onError(`The projector thread ended (${code})`);
          hooks.onFailed();
        }
      });
    });
    return thread;
  }

  /** The main thread appended to the log: the projector reads on at once, not at its next idle poll. */
  appended(): void {
    if (!this.stopping) this.worker.postMessage({ kind: 'appended' } satisfies ToProjectorThread);
  }

  /** Resolves once the projector has written what it applied, with its checkpoint, and closed its connections. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    // A thread that has already ended (it failed) is not waited for: there is nothing left to stop.
    this.worker.postMessage({ kind: 'stop' } satisfies ToProjectorThread);
    await this.exited;
  }
}
