import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { EventStoreUnavailableError } from '@app/event-store';
import { InvalidEnvironmentError } from '@app/config';
import { createApp } from './bootstrap';
import { appConfigFrom } from './config/app-config';

async function main(): Promise<void> {
  const config = appConfigFrom();
  const app = await createApp(config);
  await app.listen(config.port);
  const where = config.eventStore.kind === 'sqlite' ? `SQLite ${config.eventStore.path}` : `EventStoreDB ${config.eventStore.url}`;
  new Logger('Main').log(`Listening on port ${config.port}, events in ${where}`);
}

main().catch((error: unknown) => {
  // A store that cannot be written, or a wrong setting, is the operator's to fix: say what is wrong, without a stack trace.
  console.error(error instanceof EventStoreUnavailableError ? `Cannot start: ${error.message}` : error instanceof InvalidEnvironmentError ? error.message : error);
  process.exit(1);
});
