import { randomUUID } from 'node:crypto';
import { NewEvent, WrongExpectedRevisionError } from './event-store.port';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import { StagedEventStore } from './staged-event-store';

const event = (type: string): NewEvent => ({ id: randomUUID(), type, data: { type }, metadata: { actor: 'test', recordedAt: '2025-07-01T00:00:00Z', correlationId: 'c', schemaVersion: 1 } });
const types = (events: { type: string }[]) => events.map((e) => e.type);

describe('StagedEventStore: many appends written as one transaction', () => {
  let store: SqliteEventStore;
  beforeEach(async () => {
    store = new SqliteEventStore(':memory:');
    await store.append('a', [event('a0'), event('a1')], 'no_stream');
  });
  afterEach(() => store.close());

  it('reads held appends after what the store has, checks them as the store would, and shows the log nothing until the commit', async () => {
    const staged = new StagedEventStore(store);
    await staged.append('a', [event('a2')], 1n);
    await staged.appendTogether([
      { streamId: 'a', events: [event('a3')], expected: 2n },
      { streamId: 'b', events: [event('b0')], expected: 'no_stream' },
    ]);
    expect(types(await staged.readStream('a'))).toEqual(['a0', 'a1', 'a2', 'a3']);
    expect((await staged.readStream('a')).map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n]);
    expect(types(await staged.readStream('a', { direction: 'backwards', maxCount: 3 }))).toEqual(['a3', 'a2', 'a1']);
    expect(types(await staged.readStream('a', { fromRevision: 1n, maxCount: 2 }))).toEqual(['a1', 'a2']);
    expect(types(await staged.readStream('b', { direction: 'backwards', maxCount: 1 }))).toEqual(['b0']);
    await expect(staged.append('a', [event('late')], 2n)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    // A part refused refuses the whole append: nothing of it is held.
    await expect(staged.appendTogether([{ streamId: 'c', events: [event('c0')], expected: 'no_stream' }, { streamId: 'b', events: [event('b?')], expected: 'no_stream' }])).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    expect(await staged.readStream('c')).toEqual([]);
    expect(await store.headPosition()).toBe(2n);

    await staged.commit();
    expect(types(await store.readStream('a'))).toEqual(['a0', 'a1', 'a2', 'a3']);
    expect(types(await store.readStream('b'))).toEqual(['b0']);
    expect(await store.headPosition()).toBe(5n);
  });

  it('writes nothing when a stream moved in the store since its append was held', async () => {
    const staged = new StagedEventStore(store);
    await staged.append('b', [event('b0')], 'no_stream');
    await staged.append('a', [event('a2')], 1n);
    await store.append('a', [event('meanwhile')], 1n);
    await expect(staged.commit()).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(await store.readStream('b')).toEqual([]);
    expect(types(await store.readStream('a'))).toEqual(['a0', 'a1', 'meanwhile']);
  });
});
