import { Environment, validateEnvironment } from '@app/config';
import { dirname, join, resolve } from 'node:path';
import { EventStoreConfig, eventStoreConfigFromEnv, loadSealSigner, OnBrokenChain, onBrokenChainFromEnv, SealSigner } from '@app/event-store';
import { PersonalDataConfig, personalDataConfigFromEnv } from '@app/personal-data';
import { AuthConfig, authConfigFromEnv } from '../auth/auth.config';
import { ProjectorConfig, ReadModelConfig, readModelConfigFromEnv } from '@app/read-models';
import { LoggingConfig } from '../logging/logging.config';

export interface AppConfig {
  port: number;
  eventStore: EventStoreConfig;
  readModels: { readModel: ReadModelConfig; projector: ProjectorConfig; onBrokenChain: OnBrokenChain };
  auth: AuthConfig;
  logging: LoggingConfig;
  readiness: ReadinessConfig;
  shutdownGraceMs: number;
  personalData: PersonalDataConfig;
  sealSigner: SealSigner;
  sealEveryMinutes: number;
  /** The stream heads as of the last seal (a cache beside the seal key: see SealHeads). */
  sealHeadsFile: string;
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
  // The seal key: AUDIT_SEAL_PRIVATE_KEY (PEM), else a key file generated beside the embedded store's.
  const sealKeyFile = resolve(raw.AUDIT_SEAL_KEY_FILE ?? join(dirname(resolve(env.SQLITE_PATH ?? './data/events.db')), 'audit-seal.key'));
  return {
    port: env.PORT ?? 3000,
    eventStore,
    readModels: { ...readModelConfigFromEnv(env), onBrokenChain: onBrokenChainFromEnv(env) },
    auth: authConfigFromEnv(raw, dataDir),
    logging: { level: env.LOG_LEVEL ?? 'info', pretty: env.LOG_FORMAT === 'pretty' },
    readiness: { maxLagEvents: env.READY_MAX_LAG_EVENTS ?? DEFAULT_READINESS.maxLagEvents },
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS ?? 10_000,
    personalData: personalDataConfigFromEnv(raw),
    sealSigner: loadSealSigner(raw.AUDIT_SEAL_PRIVATE_KEY, sealKeyFile),
    sealEveryMinutes: sealEveryMinutes(raw.AUDIT_SEAL_EVERY_MINUTES),
    sealHeadsFile: join(dirname(sealKeyFile), 'audit-seal-heads.db'),
  };
}

function sealEveryMinutes(value = '60'): number {
  const minutes = Number(value);
  if (!Number.isFinite(minutes) || minutes < 0) throw new Error(`AUDIT_SEAL_EVERY_MINUTES must be a number of minutes (0: only on demand), not "${value}"`);
  return minutes;
}
