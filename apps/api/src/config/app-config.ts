import { EventStoreConfig, eventStoreConfigFromEnv } from '@app/event-store';
import { AuthConfig, authConfigFromEnv } from '../auth/auth.config';
import { dirname } from 'node:path';
import { ProjectorConfig, ReadModelConfig, readModelConfigFromEnv } from '@app/read-models';

export interface AppConfig {
  port: number;
  eventStore: EventStoreConfig;
  readModels: { readModel: ReadModelConfig; projector: ProjectorConfig };
  auth: AuthConfig;
}

/** Every setting comes from the environment, with defaults that run on one machine with no server. */
export function appConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  const eventStore = eventStoreConfigFromEnv(env);
  // The embedded store's first admin key goes beside its file (see AuthStartup).
  const dataDir = eventStore.kind === 'sqlite' ? dirname(eventStore.path) : undefined;
  return { port, eventStore, readModels: readModelConfigFromEnv(env), auth: authConfigFromEnv(env, dataDir) };
}
