import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventStore, EventStoreConfig, EventStoreModule } from '@app/event-store';
import { AdminModule } from './admin/admin.module';
import { AggregatesModule } from './common/aggregates';
import { AuditModule } from './audit/audit.module';
import { AuthConfig } from './auth/auth.config';
import { AuthModule } from './auth/auth.module';
import { InitiativesModule } from './initiatives/initiatives.module';
import { ProgressModule } from './progress/progress.module';
import { ReadModelsModule, ReadModelsOptions } from './read-models/read-models.module';
import { ProgramsModule } from './programs/programs.module';
import { QuotasModule } from './quotas/quotas.module';
import { UnitsModule } from './units/units.module';

export interface AppModuleOptions {
  eventStore: EventStoreConfig | { instance: EventStore };
  readModels: ReadModelsOptions;
  auth: AuthConfig;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
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
