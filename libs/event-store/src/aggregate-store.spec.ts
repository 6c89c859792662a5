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

type Note = { type: 'Note'; word: string };
/** Notes a word once: a word already noted decides nothing. */
const noting: AggregateDecider<Note, Noted, { words: string[] }> = {
  initialState: () => ({ words: [] }),
  decide: (command, state) => (state.words.includes(command.word) ? [] : [{ type: 'Noted', data: { word: command.word } }]),
  evolve: (state, event) => ({ words: [...state.words, event.data.word] }),
};

/** A store that says which reads reached it: the revision each began at, and how many events it gave. */
class ReadsSeen extends SqliteEventStore {
  readonly reads: { from: bigint | undefined; events: number }[] = [];
  override async readStream(...args: Parameters<SqliteEventStore['readStream']>) {
    const events = await super.readStream(...args);
    if (args[0] === 'notes') this.reads.push({ from: args[1]?.fromRevision, events: events.length });
    return events;
  }
}

describe('AggregateStore.handle on a kept state: a long stream written again and again, not read whole each time', () => {
  let store: ReadsSeen;
  const context = { actor: 'test', now: '2025-07-01T00:00:00Z', commandId: 'c', correlationId: 'c' };
  beforeEach(() => (store = new ReadsSeen(':memory:')));
  afterEach(() => store.close());

  it('decides on the kept state and the events appended since, and appends after the last of them', async () => {
    await store.append('notes', [noted('một'), noted('hai'), noted('ba')], 'no_stream');
    const aggregates = new AggregateStore<Noted>(store, codec);
    const kept = await aggregates.catchUp(noting, 'notes', { state: noting.initialState(), expected: 'no_stream' });
    // Someone else notes a word after the state was kept: the decision sees it.
    await store.append('notes', [noted('bốn')], 2n);
    store.reads.length = 0;
    await aggregates.handle(noting, 'notes', { type: 'Note', word: 'bốn' }, context, { kept });
    expect(store.reads).toEqual([{ from: 3n, events: 1 }]);
    await aggregates.handle(noting, 'notes', { type: 'Note', word: 'năm' }, context, { kept });
    expect((await store.readStream('notes')).map((e) => [e.revision, e.data.word])).toEqual([
      [0n, 'một'],
      [1n, 'hai'],
      [2n, 'ba'],
      [3n, 'bốn'],
      [4n, 'năm'],
    ]);
    expect(store.reads.slice(0, 2).every((read) => read.from === 3n)).toBe(true);
  });

  it('refuses a kept state for a command with an Idempotency-Key, whose replay only the whole stream shows, and writes nothing', async () => {
    await store.append('notes', [noted('một')], 'no_stream');
    const aggregates = new AggregateStore<Noted>(store, codec);
    const kept = await aggregates.catchUp(noting, 'notes', { state: noting.initialState(), expected: 'no_stream' });
    await expect(aggregates.handle(noting, 'notes', { type: 'Note', word: 'hai' }, { ...context, idempotencyKey: 'k', requestHash: 'h' }, { kept })).rejects.toThrow(/Idempotency-Key/);
    expect(await store.readStream('notes')).toHaveLength(1);
  });

  it('knows an existing stream from its kept state, with nothing appended since', async () => {
    await store.append('notes', [noted('một')], 'no_stream');
    const aggregates = new AggregateStore<Noted>(store, codec);
    const kept = await aggregates.catchUp(noting, 'notes', { state: noting.initialState(), expected: 'no_stream' });
    await aggregates.handle(noting, 'notes', { type: 'Note', word: 'hai' }, context, { kept, mustExist: () => new Error('no such notes') });
    expect((await store.readStream('notes')).map((e) => e.data.word)).toEqual(['một', 'hai']);
    await expect(aggregates.handle(noting, 'empty', { type: 'Note', word: 'hai' }, context, { kept: { state: noting.initialState(), expected: 'no_stream' }, mustExist: () => new Error('no such notes') })).rejects.toThrow('no such notes');
  });
});
