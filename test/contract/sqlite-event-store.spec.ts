import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NewEvent, SqliteEventStore, WrongExpectedRevisionError } from '@app/event-store';
import { describeEventStoreContract } from './event-store.contract';

const dir = mkdtempSync(join(tmpdir(), 'es-contract-'));
let n = 0;
describeEventStoreContract('SQLite (embedded)', async () => new SqliteEventStore(join(dir, `events-${n++}.db`)));

describe('SQLite: appends to several streams in one transaction', () => {
  const event = (type: string): NewEvent => ({ id: randomUUID(), type, data: {}, metadata: { actor: 't', recordedAt: '2022-05-31T20:00:00.000Z', correlationId: 'c', schemaVersion: 1 } });

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
