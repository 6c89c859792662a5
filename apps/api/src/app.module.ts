import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { EventStore, EventStoreConfig, EventStoreModule, SealSigner } from '@app/event-store';
import { LocalMasterKey, openPersonalData, PersonalDataOptions, SqliteKeyStore } from '@app/personal-data';
import { AdminModule } from './admin/admin.module';
import { AuditModule } from './audit/audit.module';
import { InitiativesModule } from './initiatives/initiatives.module';
import { IntegrityModule } from './integrity/integrity.module';
import { PersonalDataModule } from './personal-data/personal-data.module';
import { ProgressModule } from './progress/progress.module';
import { ReadModelsModule, ReadModelsOptions } from './read-models/read-models.module';
import { ProgramsModule } from './programs/programs.module';
import { QuotasModule } from './quotas/quotas.module';
import { UnitsModule } from './units/units.module';

export interface AppModuleOptions {
  eventStore: EventStoreConfig | { instance: EventStore };
  readModels: ReadModelsOptions;
  /** Where personal data keys live; absent (tests, embedding), in memory under a random master key: gone with the process. */
  personalData?: PersonalDataOptions;
  /** Signs the log's seals; absent (tests, embedding), a key generated for the process. */
  sealSigner?: SealSigner;
  /** Seal the log this often when it has grown (absent or 0: only on demand). */
  sealEveryMinutes?: number;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        EventStoreModule.forRoot(options.eventStore, (store) =>
          openPersonalData(store, options.personalData ?? { keyStore: new SqliteKeyStore(':memory:'), masterKey: new LocalMasterKey(randomBytes(32)) }),
        ),
        ReadModelsModule.forRoot(options.readModels),
        ProgramsModule,
        UnitsModule,
        QuotasModule,
        InitiativesModule,
        ProgressModule,
        AuditModule,
        AdminModule,
        PersonalDataModule,
        IntegrityModule.forRoot(options.sealSigner ?? new SealSigner(generateKeyPairSync('ed25519').privateKey), options.sealEveryMinutes),
      ],
    };
  }
}
