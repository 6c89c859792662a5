import { Global, Inject, Injectable, Module, Optional } from '@nestjs/common';
import { AccessEvent, accessEventCodec, AnyDomainEvent, domainEventCodec, ReorganisationEvent, reorganisationEventCodec } from '@app/domain';
import { AggregateStore, COMMAND_OBSERVER, CommandObserver, EVENT_STORE, EventStore } from '@app/event-store';

/** The aggregate store of this service: the generic event store library, fitted with the domain's events. */
@Injectable()
export class Aggregates extends AggregateStore<AnyDomainEvent> {
  constructor(@Inject(EVENT_STORE) store: EventStore, @Optional() @Inject(COMMAND_OBSERVER) observer?: CommandObserver) {
    super(store, domainEventCodec, observer);
  }
}

/** The same store for the access stream (grants and API keys), whose events no projection of figures reads. */
@Injectable()
export class AccessAggregates extends AggregateStore<AccessEvent> {
  constructor(@Inject(EVENT_STORE) store: EventStore, @Optional() @Inject(COMMAND_OBSERVER) observer?: CommandObserver) {
    super(store, accessEventCodec, observer);
  }
}

/** The same store for reorganisations' own streams (the decision and its progress): their figures come from the unit commands they run. */
@Injectable()
export class ReorganisationAggregates extends AggregateStore<ReorganisationEvent> {
  constructor(@Inject(EVENT_STORE) store: EventStore, @Optional() @Inject(COMMAND_OBSERVER) observer?: CommandObserver) {
    super(store, reorganisationEventCodec, observer);
  }
}

@Global()
@Module({ providers: [Aggregates, AccessAggregates, ReorganisationAggregates], exports: [Aggregates, AccessAggregates, ReorganisationAggregates] })
export class AggregatesModule {}
