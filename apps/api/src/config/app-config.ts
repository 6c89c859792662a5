import { Environment, validateEnvironment } from '@app/config';
import { EventStoreConfig, eventStoreConfigFromEnv } from '@app/event-store';
import { AuthConfig, authConfigFromEnv } from '../auth/auth.config';
import { dirname } from 'node:path';
import { ProjectorConfig, ReadModelConfig, readModelConfigFromEnv } from '@app/read-models';
import { LoggingConfig } from '../logging/logging.config';

export interface AppConfig {
  port: number;
  eventStore: EventStoreConfig;
  readModels: { readModel: ReadModelConfig; projector: ProjectorConfig };
  auth: AuthConfig;
  logging: LoggingConfig;
  readiness: ReadinessConfig;
  shutdownGraceMs: number;
}

export interface ReadinessConfig {
  /** /health/ready fails when the read models are further behind the head of the log. */
  maxLagEvents: number;
}

export const DEFAULT_READINESS: ReadinessConfig = { maxLagEvents: 10_000 };

/** Every setting comes from the validated environment, with defaults that run on one machine with no server. */
export function appConfigFrom(env: Environment = validateEnvironment(), raw: NodeJS.ProcessEnv = process.env): AppConfig {
  const eventStore = eventStoreConfigFromEnv(env);
  // The embedded store's first admin key goes beside its file (see AuthStartup).
  const dataDir = eventStore.kind === 'sqlite' ? dirname(eventStore.path) : undefined;
  return {
    port: env.PORT ?? 3000,
    eventStore,
    readModels: readModelConfigFromEnv(env),
    auth: authConfigFromEnv(raw, dataDir),
    logging: { level: env.LOG_LEVEL ?? 'info', pretty: env.LOG_FORMAT === 'pretty' },
    readiness: { maxLagEvents: env.READY_MAX_LAG_EVENTS ?? DEFAULT_READINESS.maxLagEvents },
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS ?? 10_000,
  };
}
