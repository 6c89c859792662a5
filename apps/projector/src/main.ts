import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { InvalidEnvironmentError, validateEnvironment } from '@app/config';
import { eventStoreConfigFromEnv, onBrokenChainFromEnv } from '@app/event-store';
import { personalDataConfigFromEnv } from '@app/personal-data';
import { readModelConfigFromEnv } from '@app/read-models';
import { ProjectorModule } from './projector.module';

/** The projector as its own process: same configuration variables as the API (EVENT_STORE, ESDB_URL, MONGO_URL, ...). */
async function main(): Promise<void> {
  const env = validateEnvironment();
  const { readModel } = readModelConfigFromEnv({ ...env, PROJECTOR: 'embedded' });
  if (readModel.kind !== 'mongo') throw new Error('apps/projector writes shared read models: set MONGO_URL (in-memory read models live inside the API)');
  const logging = { level: env.LOG_LEVEL ?? 'info', pretty: env.LOG_FORMAT === 'pretty' };
  const app = await NestFactory.createApplicationContext(ProjectorModule.forRoot({ eventStore: eventStoreConfigFromEnv(env), readModel, logging, personalData: personalDataConfigFromEnv(process.env), onBrokenChain: onBrokenChainFromEnv(env) }), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
}

main().catch((error: unknown) => {
  console.error(error instanceof InvalidEnvironmentError ? error.message : error);
  process.exit(1);
});
