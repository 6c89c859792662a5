import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { turnsDuring } from '../../../../test/support/event-loop-turns';
import { NewEvent } from '../event-store.port';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { HashChainEventStore } from './hash-chain-event-store';
import { SealSigner } from './seal';
import { SealHeads } from './seal-heads';
import { sealLog, verifyLog } from './verify-chains';

/**
 * The integrity check and the seals run inside the service, beside its requests, over a store
 * whose reads resolve at once (SQLite): unless they hand the event loop back between pages, a
 * national log holds every request until they end (a first seal of 2 M events: a minute).
 */
describe('Walks over the whole log let the service answer meanwhile', () => {
  const signer = new SealSigner(generateKeyPairSync('ed25519').privateKey);
  const meta = { actor: 'system:seals', correlationId: 'c', commandId: 'k', schemaVersion: 1 };
  let raw: SqliteEventStore;
  let store: HashChainEventStore;

  const event = (n: number): NewEvent => ({ id: randomUUID(), type: 'Noted', data: { n }, metadata: { actor: 'test', recordedAt: '2025-07-01T00:00:00Z', correlationId: 'c', schemaVersion: 1 } });

  beforeAll(async () => {
    raw = new SqliteEventStore(':memory:');
    store = new HashChainEventStore(raw);
    // Streams written before the chains (hashed during the walk) and chained ones: 3,000 events, several pages of any walk.
    for (let i = 0; i < 1500; i++) await raw.append(`old-${i % 50}`, [event(i)], 'any');
    for (let i = 0; i < 1500; i++) await store.append(`new-${i}`, [event(i)], 'no_stream');
  });
  afterAll(() => store.close());

  it('the whole-log integrity check, telling its progress page by page', async () => {
    const progress: number[] = [];
    const { turns, result } = await turnsDuring(() => verifyLog(store, { pageSize: 1000, onProgress: (events) => progress.push(events) }));
    expect(result.firstBroken).toBeNull();
    expect(result.events).toBe(3000);
    expect(progress).toEqual([1000, 2000, 3000, 3000]);
    expect(turns).toBeGreaterThanOrEqual(3);
  });

  it('a first seal, which walks the whole log and hashes what predates the chains', async () => {
    const heads = new SealHeads(':memory:');
    try {
      const { turns, result } = await turnsDuring(() => sealLog(store, signer, '2025-07-02T00:00:00Z', meta, heads));
      expect(result.seal.streams).toBe(1550);
      expect(turns).toBeGreaterThanOrEqual(5);
    } finally {
      heads.close();
    }
  });
});
