import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NewEvent, SqliteEventStore, WrongExpectedRevisionError } from '@app/event-store';
import { describeEventStoreContract } from './event-store.contract';

const dir = mkdtempSync(join(tmpdir(), 'es-contract-'));
let n = 0;
describeEventStoreContract('SQLite (embedded)', async () => new SqliteEventStore(join(dir, `events-${n++}.db`)));

/** An event that names its type in its data too, to tell events apart by either. */
const event = (type: string): NewEvent => ({ id: randomUUID(), type, data: { type }, metadata: { actor: 't', recordedAt: '2022-05-31T20:00:00.000Z', correlationId: 'c', schemaVersion: 1 } });

describe('SQLite: appends to several streams in one transaction', () => {
  it('writes every part, in order, answering each as append would', async () => {
    const store = new SqliteEventStore(join(dir, `together-${n++}.db`));
    await store.append('b', [event('B0')], 'no_stream');
    const [a, b] = await store.appendTogether([
      { streamId: 'a', events: [event('A0'), event('A1')], expected: 'no_stream' },
      { streamId: 'b', events: [event('B1')], expected: 0n },
    ]);
    expect([a.nextExpectedRevision, b.nextExpectedRevision]).toEqual([1n, 1n]);
    expect(b.position).toBe(a.position + 1n);
    expect((await store.readAll()).map((e) => e.type)).toEqual(['B0', 'A0', 'A1', 'B1']);
    await store.close();
  });

  it('writes nothing when one part’s expectation fails', async () => {
    const store = new SqliteEventStore(join(dir, `together-${n++}.db`));
    await store.append('b', [event('B0')], 'no_stream');
    await expect(
      store.appendTogether([
        { streamId: 'a', events: [event('A0')], expected: 'no_stream' },
        { streamId: 'b', events: [event('B1')], expected: 'no_stream' },
      ]),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect((await store.readAll()).map((e) => e.type)).toEqual(['B0']);
    await store.close();
  });
});

describe('SQLite: appends asked for in one turn are committed together (one fsync), each answered as if alone', () => {
  it('writes the ones whose expectation holds and refuses the others, in the order asked', async () => {
    const store = new SqliteEventStore(join(dir, `group-${n++}.db`));
    await store.append('b', [event('B0')], 'no_stream');
    const answers = await Promise.allSettled([
      store.append('a', [event('A0')], 'no_stream'),
      store.append('b', [event('B-stale')], 'no_stream'),
      store.append('a', [event('A1')], 0n),
      store.appendTogether([
        { streamId: 'c', events: [event('C0')], expected: 'no_stream' },
        { streamId: 'b', events: [event('B1')], expected: 0n },
      ]),
      store.append('a', [event('A-stale')], 0n),
    ]);
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected']);
    expect((answers[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect((answers[4] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect(answers.filter((a) => a.status === 'fulfilled').map((a) => (a as PromiseFulfilledResult<unknown>).value)).toEqual([
      { nextExpectedRevision: 0n, position: 2n },
      { nextExpectedRevision: 1n, position: 3n },
      [
        { nextExpectedRevision: 0n, position: 4n },
        { nextExpectedRevision: 1n, position: 5n },
      ],
    ]);
    expect((await store.readAll()).map((e) => `${e.position}:${e.type}`)).toEqual(['1:B0', '2:A0', '3:A1', '4:C0', '5:B1']);
    await store.close();
  });

  it('answers a repeated append with the first one’s result, also when both are asked for in one turn', async () => {
    const store = new SqliteEventStore(join(dir, `group-${n++}.db`));
    const once = event('A0');
    const [first, again] = await Promise.all([store.append('a', [once], 'no_stream'), store.append('a', [once], 'no_stream')]);
    expect(again).toEqual(first);
    expect((await store.readAll()).map((e) => e.type)).toEqual(['A0']);
    await store.close();
  });

  it('still writes what was asked for before it was closed', async () => {
    const path = join(dir, `group-${n++}.db`);
    const store = new SqliteEventStore(path);
    const asked = store.append('a', [event('A0')], 'no_stream');
    await store.close();
    await expect(asked).resolves.toEqual({ nextExpectedRevision: 0n, position: 1n });
    const reopened = new SqliteEventStore(path);
    expect((await reopened.readAll()).map((e) => e.type)).toEqual(['A0']);
    await reopened.close();
  });
});

describe('SQLite: reads many whole streams at once', () => {
  it('merges the streams in log order, each whole, once even when named twice, and adds nothing for a stream that does not exist', async () => {
    const store = new SqliteEventStore(join(dir, `streams-${n++}.db`));
    await store.append('a', [event('A0')], 'no_stream');
    await store.append('b', [event('B0'), event('B1')], 'no_stream');
    await store.append('c', [event('C0')], 'no_stream');
    await store.append('a', [event('A1')], 0n);
    const read = await store.readStreams(['a', 'missing', 'b', 'a']);
    expect(read.map((e) => [e.type, e.streamId, e.revision, e.position])).toEqual([
      ['A0', 'a', 0n, 1n],
      ['B0', 'b', 0n, 2n],
      ['B1', 'b', 1n, 3n],
      ['A1', 'a', 1n, 5n],
    ]);
    expect(read[0]).toEqual((await store.readStream('a'))[0]);
    expect(await store.readStreams([])).toEqual([]);
    await store.close();
  });

  it('reads more streams than one query takes, in log order', async () => {
    const store = new SqliteEventStore(join(dir, `streams-${n++}.db`));
    const ids = Array.from({ length: 1203 }, (_, i) => `s-${i}`);
    // Written in reverse name order, so that log order is not the order the streams are named in.
    for (const id of [...ids].reverse()) await store.append(id, [event(id)], 'no_stream');
    const read = await store.readStreams(ids);
    expect(read.map((e) => e.type)).toEqual([...ids].reverse());
    await store.close();
  });
});
