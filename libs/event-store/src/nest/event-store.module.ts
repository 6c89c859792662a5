import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { EsdbEventStore } from '../esdb/esdb-event-store';
import { EVENT_STORE, EventStore } from '../event-store.port';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { HashChainEventStore } from '../integrity/hash-chain-event-store';
import { EventStoreConfig } from './event-store.config';

/** Optional: a global provider under this token (the API's metrics) hears of every command handled. */
export const COMMAND_OBSERVER = Symbol('COMMAND_OBSERVER');

export function openEventStore(config: EventStoreConfig): EventStore {
  switch (config.kind) {
    case 'sqlite':
      return new SqliteEventStore(config.path);
    case 'esdb':
      return EsdbEventStore.connect(config.url);
  }
}

@Injectable()
class EventStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** Provides the configured event store under the EVENT_STORE token. */
@Global()
@Module({})
export class EventStoreModule {
  /** `decorate` puts a layer over the store that everything else then uses (the service's personal-data encryption). */
  static forRoot(config: EventStoreConfig | { instance: EventStore }, decorate: (store: EventStore) => Promise<EventStore> = async (store) => store): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        // Chained below any decoration, so that the chains commit to the events exactly as stored.
        { provide: EVENT_STORE, useFactory: () => decorate(new HashChainEventStore('instance' in config ? config.instance : openEventStore(config))) },
        EventStoreCloser,
      ],
      exports: [EVENT_STORE],
    };
  }
}
