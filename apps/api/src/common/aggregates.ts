import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { AnyDomainEvent, domainEventCodec } from '@app/domain';
import { AggregateStore, EVENT_STORE, EventStore } from '@app/event-store';

/** The aggregate store of this service: the generic event store library, fitted with the domain's events. */
@Injectable()
export class Aggregates extends AggregateStore<AnyDomainEvent> {
  constructor(@Inject(EVENT_STORE) store: EventStore) {
    super(store, domainEventCodec);
  }
}

@Global()
@Module({ providers: [Aggregates], exports: [Aggregates] })
export class AggregatesModule {}
