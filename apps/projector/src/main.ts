import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { eventStoreConfigFromEnv } from '@app/event-store';
import { personalDataConfigFromEnv } from '@app/personal-data';
import { readModelConfigFromEnv } from '@app/read-models';
import { ProjectorModule } from './projector.module';

/** The projector as its own process: same configuration variables as the API (EVENT_STORE, ESDB_URL, MONGO_URL, ...). */
async function main(): Promise<void> {
  const { readModel } = readModelConfigFromEnv({ ...process.env, PROJECTOR: 'embedded' });
  if (readModel.kind !== 'mongo') throw new Error('apps/projector writes shared read models: set MONGO_URL (in-memory read models live inside the API)');
  const app = await NestFactory.createApplicationContext(ProjectorModule.forRoot({ eventStore: eventStoreConfigFromEnv(), readModel, personalData: personalDataConfigFromEnv() }), {
    logger: ['log', 'error', 'warn'],
  });
  app.enableShutdownHooks();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
