import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
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

describe('SQLite: group commit of concurrent appends', () => {
  const event = (type: string): NewEvent => ({ id: randomUUID(), type, data: {}, metadata: { actor: 't', recordedAt: '2022-05-31T20:00:00.000Z', correlationId: 'c', schemaVersion: 1 } });
  /** Transactions committed to the file so far: the commit frames of its write-ahead log (a fresh file: never checkpointed yet). */
  const commitsIn = (path: string): number => {
    const wal = readFileSync(`${path}-wal`);
    const pageSize = wal.readUInt32BE(8);
    const [salt1, salt2] = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
    let commits = 0;
    for (let frame = 32; frame + 24 + pageSize <= wal.length; frame += 24 + pageSize) {
      if (wal.readUInt32BE(frame + 8) !== salt1 || wal.readUInt32BE(frame + 12) !== salt2) break;
      if (wal.readUInt32BE(frame + 4) !== 0) commits++;
    }
    return commits;
  };

  it('commits appends asked for together in one transaction, in the order asked, each answered as alone', async () => {
    const path = join(dir, `group-${n++}.db`);
    const store = new SqliteEventStore(path);
    await store.append('b', [event('B0')], 'no_stream');
    const before = commitsIn(path);
    const answers = await Promise.all([
      store.append('a', [event('A0'), event('A1')], 'no_stream'),
      store.append('b', [event('B1')], 0n),
      store.appendTogether([
        { streamId: 'c', events: [event('C0')], expected: 'no_stream' },
        { streamId: 'a', events: [event('A2')], expected: 1n },
      ]),
    ]);
    expect(commitsIn(path) - before).toBe(1);
    expect(answers).toEqual([
      { nextExpectedRevision: 1n, position: 3n },
      { nextExpectedRevision: 1n, position: 4n },
      [
        { nextExpectedRevision: 0n, position: 5n },
        { nextExpectedRevision: 2n, position: 6n },
      ],
    ]);
    expect((await store.readAll()).map((e) => e.type)).toEqual(['B0', 'A0', 'A1', 'B1', 'C0', 'A2']);
    await store.close();
  });

  it('refuses a stale append of the group alone: the others are written, and a racing second writer of one stream loses', async () => {
    const store = new SqliteEventStore(join(dir, `group-${n++}.db`));
    await store.append('b', [event('B0')], 'no_stream');
    const [first, stale, second, racing] = await Promise.allSettled([
      store.append('a', [event('A0')], 'no_stream'),
      store.append('b', [event('B-stale')], 'no_stream'),
      store.append('c', [event('C0')], 'no_stream'),
      store.append('a', [event('A-racing')], 'no_stream'),
    ]);
    expect([first.status, stale.status, second.status, racing.status]).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((stale as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect((racing as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect((await store.readAll()).map((e) => e.type)).toEqual(['B0', 'A0', 'C0']);
    expect((await store.readAll()).map((e) => e.position)).toEqual([1n, 2n, 3n]);
    await store.close();
  });

  it('writes what was asked before close, and answers it', async () => {
    const store = new SqliteEventStore(join(dir, `group-${n++}.db`));
    const written = store.append('a', [event('A0')], 'no_stream');
    await store.close();
    await expect(written).resolves.toEqual({ nextExpectedRevision: 0n, position: 1n });
  });
});
