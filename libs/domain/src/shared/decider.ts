/** An event as the domain knows it: a type and its data. Metadata (who, when, why) is added on write. */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  type: Type;
  data: Data;
}

/**
 * An aggregate's behaviour as three pure functions (the "decider" pattern): `decide` turns a
 * command and the current state into new events or throws a DomainError; `evolve` applies one
 * event to the state; folding `evolve` over a stream from `initialState` rebuilds the state.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  initialState: () => State;
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
}

export function fold<Event extends DomainEvent, State>(
  decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
  events: Iterable<Event>,
): State {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
