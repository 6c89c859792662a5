import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Express } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule, AppModuleOptions } from './app.module';
import { hardenHttpServer } from './common/http-server-limits';
import { jsonBody } from './common/json-body';
import { serveDashboard } from './dashboard/serve-dashboard';
import { ProblemFilter } from './common/problem.filter';
import { createValidationPipe } from './common/validation.pipe';
import { setupOpenApi } from './openapi/openapi';

/** Builds the HTTP application (used by main and by the end-to-end tests alike). */
export async function createApp(options: AppModuleOptions): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(options), { bodyParser: false, bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  (app.getHttpAdapter().getInstance() as Express).disable('x-powered-by');
  app.use(helmet());
  // Browsers may call from the configured origins only; without any, no cross-origin access at all.
  if (options.auth.corsOrigins.length > 0) {
    app.enableCors({ origin: options.auth.corsOrigins, allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-correlation-id', 'x-causation-id', 'x-min-position'], exposedHeaders: ['retry-after'] });
  }
  hardenHttpServer(app.getHttpServer());
  serveDashboard(app);
  app.use(...jsonBody);
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  setupOpenApi(app);
  return app;
}
