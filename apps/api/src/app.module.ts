import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { validateEnvironment } from '@app/config';
import { EventStore, EventStoreConfig, EventStoreModule, SealSigner } from '@app/event-store';
import { LocalMasterKey, openPersonalData, PersonalDataOptions, SqliteKeyStore } from '@app/personal-data';
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
import { IntegrityModule } from './integrity/integrity.module';
import { PersonalDataModule } from './personal-data/personal-data.module';
import { ProgressModule } from './progress/progress.module';
import { ReadModelsModule, ReadModelsOptions } from './read-models/read-models.module';
import { projectorThreadFiles } from './read-models/projector-thread';
import { ProgramsModule } from './programs/programs.module';
import { QuotasModule } from './quotas/quotas.module';
import { ReorganisationsModule } from './reorganisations/reorganisations.module';
import { UnitsModule } from './units/units.module';

export interface AppModuleOptions {
  eventStore: EventStoreConfig | { instance: EventStore };
  readModels: ReadModelsOptions;
  auth: AuthConfig;
  /** Default: warnings and errors only (tests, embedding callers); main passes LOG_LEVEL and LOG_FORMAT. */
  logging?: LoggingConfig;
  readiness?: ReadinessConfig;
  shutdownGraceMs?: number;
  /** Where personal data keys live; absent (tests, embedding), in memory under a random master key: gone with the process. */
  personalData?: PersonalDataOptions;
  /** Signs the log's seals; absent (tests, embedding), a key generated for the process. */
  sealSigner?: SealSigner;
  /** Seal the log this often when it has grown (absent or 0: only on demand). */
  sealEveryMinutes?: number;
  /** Where the stream heads as of the last seal are kept; absent (tests, embedding), in memory for the process's life. */
  sealHeadsFile?: string;
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
        EventStoreModule.forRoot(options.eventStore, (store) =>
          openPersonalData(store, options.personalData ?? { keyStore: new SqliteKeyStore(':memory:'), masterKey: new LocalMasterKey(randomBytes(32)) }),
        ),
        AggregatesModule,
        ReadModelsModule.forRoot(
          options.readModels.projector.thread ? { ...options.readModels, projectorThread: projectorThreadFiles({ ...options, readModel: options.readModels.readModel, heapMb: options.readModels.projector.threadHeapMb }) } : options.readModels,
        ),
        ProgramsModule,
        UnitsModule,
        QuotasModule,
        InitiativesModule,
        ProgressModule,
        AuditModule,
        AdminModule,
        ReorganisationsModule,
        AuthModule.forRoot(options.auth),
        PersonalDataModule,
        IntegrityModule.forRoot(options.sealSigner ?? new SealSigner(generateKeyPairSync('ed25519').privateKey), options.sealEveryMinutes, options.sealHeadsFile),
      ],
    };
  }
}
