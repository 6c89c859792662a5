import { StoredEvent } from './event-store.port';

/**
 * How a service's events are written and read back. The event store knows nothing of any domain:
 * the service hands it a codec that encodes its events (with the schema version they are written
 * under) and decodes stored ones, upcasting and validating them.
 */
export interface EventCodec<Event extends { type: string }> {
  encode(event: Event): { type: string; data: Record<string, unknown>; schemaVersion: number };
  /** @throws when the stored event cannot be read as one of the service's events */
  decode(event: StoredEvent): Event;
}

/** An aggregate as three pure functions (the decider pattern); any domain's deciders fit. */
export interface AggregateDecider<Command, Event, State> {
  initialState: () => State;
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
}
