import { dirname, join, resolve } from 'node:path';
import { EventStoreConfig, eventStoreConfigFromEnv, loadSealSigner, SealSigner } from '@app/event-store';
import { PersonalDataConfig, personalDataConfigFromEnv } from '@app/personal-data';
import { ProjectorConfig, ReadModelConfig, readModelConfigFromEnv } from '@app/read-models';

export interface AppConfig {
  port: number;
  eventStore: EventStoreConfig;
  readModels: { readModel: ReadModelConfig; projector: ProjectorConfig };
  personalData: PersonalDataConfig;
  sealSigner: SealSigner;
  sealEveryMinutes: number;
}

/** Every setting comes from the environment, with defaults that run on one machine with no server. */
export function appConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  // The seal key: AUDIT_SEAL_PRIVATE_KEY (PEM), else a key file generated beside the embedded store's.
  const sealKeyFile = resolve(env.AUDIT_SEAL_KEY_FILE ?? join(dirname(resolve(env.SQLITE_PATH ?? './data/events.db')), 'audit-seal.key'));
  return {
    port,
    eventStore: eventStoreConfigFromEnv(env),
    readModels: readModelConfigFromEnv(env),
    personalData: personalDataConfigFromEnv(env),
    sealSigner: loadSealSigner(env.AUDIT_SEAL_PRIVATE_KEY, sealKeyFile),
    sealEveryMinutes: sealEveryMinutes(env.AUDIT_SEAL_EVERY_MINUTES),
  };
}

function sealEveryMinutes(value = '60'): number {
  const minutes = Number(value);
  if (!Number.isFinite(minutes) || minutes < 0) throw new Error(`AUDIT_SEAL_EVERY_MINUTES must be a number of minutes (0: only on demand), not "${value}"`);
  return minutes;
}
