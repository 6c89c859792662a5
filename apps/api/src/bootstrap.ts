import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule, AppModuleOptions } from './app.module';
import { jsonBody } from './common/json-body';
import { serveDashboard } from './dashboard/serve-dashboard';
import { ProblemFilter } from './common/problem.filter';
import { createValidationPipe } from './common/validation.pipe';

/** Builds the HTTP application (used by main and by the end-to-end tests alike). */
export async function createApp(options: AppModuleOptions, logger: LogLevel[] = ['error', 'warn']): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(options), { bodyParser: false, logger });
  serveDashboard(app);
  app.use(...jsonBody);
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  return app;
}
