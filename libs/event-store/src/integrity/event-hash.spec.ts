import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { eventHash, GENESIS_HASH, hashedEncoding, HashedContent } from './event-hash';
import { HashChainEventStore } from './hash-chain-event-store';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';

/** The hash as the README defines it, computed the plain way. */
function definition(previous: string, event: HashedContent): string {
  const { hash: _left, ...metadata } = event.metadata;
  const content = canonicalJson({ type: event.type, data: event.data, metadata, stream: event.streamId, revision: Number(event.revision) });
  return createHash('sha256').update(`${previous}\n${content}`).digest('hex');
}

const events: HashedContent[] = [
  {
    type: 'InitiativeSubmitted',
    streamId: 'initiative-sk-1',
    revision: 0n,
    data: { title: 'Sáng kiến số 1', authors: [{ sealed: 'x', keyId: 'k' }], benefitValue: '25000000', '10': true, nested: { z: 1, a: [null, 'é'] } },
    metadata: { schemaVersion: 1, actor: 'chu-tich', recordedAt: '2022-03-01T08:00:00.000Z', correlationId: 'c', commandId: 'd', hash: 'a stale hash that is left out' },
  },
  { type: 'Empty', streamId: 's', revision: 7n, data: {}, metadata: {} as HashedContent['metadata'] },
];

describe('eventHash', () => {
  it.each(events.map((event) => [event.type, event]))('%s: SHA-256 of the previous hash, a newline and the canonical JSON of the whole event', (_type, event) => {
    expect(eventHash(GENESIS_HASH, event)).toBe(definition(GENESIS_HASH, event));
    expect(eventHash('f'.repeat(64), event)).not.toBe(eventHash(GENESIS_HASH, event));
  });

  it('hands a store JSON of exactly the data and the metadata it hashed', () => {
    const [event] = events;
    const { data, metadata } = hashedEncoding(GENESIS_HASH, event!);
    expect(JSON.parse(data)).toEqual(event!.data);
    const { hash: _left, ...withoutHash } = event!.metadata;
    expect(JSON.parse(metadata)).toEqual(withoutHash);
  });

  it('a chained SQLite append stores the event it hashed: read back, each event verifies against its stored hash', async () => {
    const store = new HashChainEventStore(new SqliteEventStore(':memory:'));
    const appended = [
      { id: '00000000-0000-4000-8000-000000000001', type: 'InitiativeSubmitted', data: events[0]!.data, metadata: { actor: 'a', recordedAt: 'r', correlationId: 'c', schemaVersion: 1 } },
      { id: '00000000-0000-4000-8000-000000000002', type: 'Empty', data: {}, metadata: { actor: 'b', recordedAt: 'r', correlationId: 'c', schemaVersion: 1 } },
    ];
    await store.append('initiative-sk-1', appended, 'no_stream');
    const stored = await store.readStream('initiative-sk-1');
    let previous = GENESIS_HASH;
    for (const event of stored) {
      expect(event.metadata.hash).toBe(definition(previous, event));
      previous = event.metadata.hash!;
    }
    expect(stored.map((event) => event.data)).toEqual(appended.map((event) => event.data));
    await store.close();
  });

  it('an event it cannot encode fails the append as a rejected promise, and nothing is written', async () => {
    const store = new HashChainEventStore(new SqliteEventStore(':memory:'));
    const unencodable = { id: '00000000-0000-4000-8000-000000000003', type: 'Odd', data: { amount: 1n } as Record<string, unknown>, metadata: { actor: 'a', recordedAt: 'r', correlationId: 'c', schemaVersion: 1 } };
    const appending = store.append('odd-1', [unencodable], 'no_stream');
    await expect(appending).rejects.toThrow(TypeError);
    expect(await store.readStream('odd-1')).toEqual([]);
    await store.close();
  });
});
