import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@app/event-store';
import { personalDataConfigFromEnv } from '@app/personal-data';
import { READ_MODEL_STORE, readModelConfigFromEnv, ReadModelStore } from '@app/read-models';
import { AccessService } from '../../apps/api/src/auth/access.service';
import { createApp } from '../../apps/api/src/bootstrap';

/** The service as a confederation would run it on the national files: its HTTP server, its embedded projector, an admin's API key. */
export interface BenchService {
  app: INestApplication;
  events: EventStore;
  readModels: ReadModelStore;
  /** Where the service answers, and the admin's bearer token: what a client in another process needs. */
  base: string;
  token: string;
  /** A request as the admin (GET without a body, POST with one). */
  call(path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

/** `BENCH_PROJECTOR_THREAD=main|worker`: where the embedded projector runs (default: the service's default). */
const { thread: PROJECTOR_THREAD, threadHeapMb } = readModelConfigFromEnv({ PROJECTOR_THREAD: process.env.BENCH_PROJECTOR_THREAD as 'main' | 'worker' | undefined }).projector;

export async function startBenchService(eventsPath: string, readModelsPath: string): Promise<BenchService> {
  const app = await createApp({
    eventStore: { kind: 'sqlite', path: eventsPath },
    readModels: { readModel: { kind: 'sqlite', path: readModelsPath }, projector: { embedded: true, thread: PROJECTOR_THREAD, threadHeapMb } },
    // The keys in files beside the events, as the service keeps them: a projector thread opens them by path.
    personalData: personalDataConfigFromEnv({ SQLITE_PATH: eventsPath }),
    // The bench's own load is not what the rate limit is for.
    auth: { mode: 'on', corsOrigins: [], rateLimit: { limit: 1_000_000_000, windowMs: 60_000 } },
  });
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  const context = () => ({ actor: 'bench-admin', now: new Date().toISOString(), commandId: randomUUID(), correlationId: randomUUID() });
  const { token } = await app.get(AccessService).createApiKey({ subject: 'bench-admin', roles: [{ role: 'admin', unitId: null }], expiresAt: null, documentRef: 'bench' }, context());
  const call = caller(base, token);
  return { app, events: app.get<EventStore>(EVENT_STORE), readModels: app.get<ReadModelStore>(READ_MODEL_STORE), base, token, call, close: () => app.close() };
}

/** Requests to the service as the bearer of `token` (GET without a body, POST with one). */
export function caller(base: string, token: string): (path: string, body?: unknown) => Promise<Response> {
  return (path, body) =>
    fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
}

/** Until the read models show everything the log holds now. */
export async function caughtUp(events: EventStore, readModels: ReadModelStore): Promise<void> {
  const head = await events.headPosition();
  while ((await readModels.checkpoint()) < head) await new Promise((resolve) => setTimeout(resolve, 50));
}
