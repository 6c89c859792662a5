import { randomUUID } from 'node:crypto';
import { AggregateStore } from './aggregate-store';
import { AggregateDecider, EventCodec } from './event-codec';
import { NewEvent } from './event-store.port';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

type Noted = { type: 'Noted'; data: { word: string } };
/** A decider whose evolve appends in place, as the access grants' does. */
const notes: AggregateDecider<never, Noted, { words: string[] }> = {
  initialState: () => ({ words: [] }),
  decide: () => [],
  evolve: (state, event) => {
    state.words.push(event.data.word);
    return state;
  },
};
const codec: EventCodec<Noted> = { encode: (event) => ({ ...event, schemaVersion: 1 }), decode: (stored) => ({ type: 'Noted', data: { word: String(stored.data.word) } }) };
const noted = (word: string): NewEvent => ({ id: randomUUID(), type: 'Noted', data: { word }, metadata: { actor: 'test', recordedAt: '2025-07-01T00:00:00Z', correlationId: 'c', schemaVersion: 1 } });

describe('AggregateStore.catchUp: a state kept between commands, brought up to date', () => {
  let store: SqliteEventStore;
  beforeEach(() => (store = new SqliteEventStore(':memory:')));
  afterEach(() => store.close());

  it('folds only the events appended since, to the state a whole load gives', async () => {
    const aggregates = new AggregateStore<Noted>(store, codec);
    const empty = await aggregates.load(notes, 'notes');
    await store.append('notes', [noted('một'), noted('hai')], 'no_stream');
    const first = await aggregates.catchUp(notes, 'notes', empty);
    expect(first).toEqual({ state: { words: ['một', 'hai'] }, expected: 1n });
    await store.append('notes', [noted('ba')], 1n);
    // Each event once: a catch-up that read the stream whole would fold "một" and "hai" again onto the kept state.
    const second = await aggregates.catchUp(notes, 'notes', first);
    expect(second).toEqual({ state: { words: ['một', 'hai', 'ba'] }, expected: 2n });
    expect(await aggregates.catchUp(notes, 'notes', second)).toEqual(second);
    expect((await aggregates.load(notes, 'notes')).state).toEqual(second.state);
  });
});
