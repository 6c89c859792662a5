import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventStore, EventStoreConfig, EventStoreModule } from '@app/event-store';
import { InitiativesModule } from './initiatives/initiatives.module';
import { ProgramsModule } from './programs/programs.module';
import { QuotasModule } from './quotas/quotas.module';
import { UnitsModule } from './units/units.module';

export interface AppModuleOptions {
  eventStore: EventStoreConfig | { instance: EventStore };
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), EventStoreModule.forRoot(options.eventStore), ProgramsModule, UnitsModule, QuotasModule, InitiativesModule],
    };
  }
}
