import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { appConfigFromEnv } from './config/app-config';

async function main(): Promise<void> {
  const config = appConfigFromEnv();
  const app = await createApp({ eventStore: config.eventStore, readModels: config.readModels, personalData: config.personalData, sealSigner: config.sealSigner, sealEveryMinutes: config.sealEveryMinutes }, ['log', 'error', 'warn']);
  await app.listen(config.port);
  const where = config.eventStore.kind === 'sqlite' ? `SQLite ${config.eventStore.path}` : `EventStoreDB ${config.eventStore.url}`;
  new Logger('Main').log(`Listening on port ${config.port}, events in ${where}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
