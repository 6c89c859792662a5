import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { validateEnvironment } from '@app/config';
import { EventStore, EventStoreConfig, EventStoreModule } from '@app/event-store';
import { AdminModule } from './admin/admin.module';
import { AggregatesModule } from './common/aggregates';
import { AuditModule } from './audit/audit.module';
import { AuthConfig } from './auth/auth.config';
import { AuthModule } from './auth/auth.module';
import { DEFAULT_READINESS, ReadinessConfig } from './config/app-config';
import { HealthModule } from './health/health.module';
import { InitiativesModule } from './initiatives/initiatives.module';
import { LoggingConfig, QUIET_LOGGING } from './logging/logging.config';
import { loggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { ProgressModule } from './progress/progress.module';
import { ReadModelsModule, ReadModelsOptions } from './read-models/read-models.module';
import { ProgramsModule } from './programs/programs.module';
import { QuotasModule } from './quotas/quotas.module';
import { UnitsModule } from './units/units.module';

export interface AppModuleOptions {
  eventStore: EventStoreConfig | { instance: EventStore };
  readModels: ReadModelsOptions;
  auth: AuthConfig;
  /** Default: warnings and errors only (tests, embedding callers); main passes LOG_LEVEL and LOG_FORMAT. */
  logging?: LoggingConfig;
  readiness?: ReadinessConfig;
  shutdownGraceMs?: number;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEnvironment }),
        loggingModule(options.logging ?? QUIET_LOGGING),
        MetricsModule,
        HealthModule.forRoot(options.readiness ?? DEFAULT_READINESS, options.shutdownGraceMs),
        CqrsModule.forRoot(),
        EventStoreModule.forRoot(options.eventStore),
        AggregatesModule,
        ReadModelsModule.forRoot(options.readModels),
        ProgramsModule,
        UnitsModule,
        QuotasModule,
        InitiativesModule,
        ProgressModule,
        AuditModule,
        AdminModule,
        AuthModule.forRoot(options.auth),
      ],
    };
  }
}
