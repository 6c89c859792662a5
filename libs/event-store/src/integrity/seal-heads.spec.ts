import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NewEvent } from '../event-store.port';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { HashChainEventStore } from './hash-chain-event-store';
import { SealSigner } from './seal';
import { SealHeads } from './seal-heads';
import { sealLog, verifyLog } from './verify-chains';

const event = (n: number): NewEvent => ({ id: randomUUID(), type: 'Noted', data: { n, note: `ghi chú ${n}` }, metadata: { actor: 'test', recordedAt: '2025-07-01T00:00:00Z', correlationId: 'c', schemaVersion: 1 } });
const meta = { actor: 'system:seals', correlationId: 'c', commandId: 'k', schemaVersion: 1 };
const NOW = '2025-07-02T00:00:00Z';

describe('Seals from the heads kept since the last one', () => {
  let dir: string;
  let raw: SqliteEventStore;
  let chained: HashChainEventStore;
  const signer = new SealSigner(generateKeyPairSync('ed25519').privateKey);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'seal-heads-'));
    raw = new SqliteEventStore(join(dir, 'events.db'));
    chained = new HashChainEventStore(raw);
  });
  afterEach(async () => {
    await chained.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Streams written before chains existed (no hash), streams chained, and both grown after a seal. */
  async function grow(round: number): Promise<void> {
    for (let i = 0; i < 40; i++) {
      const plain = `old-${i % 7}`;
      await raw.append(plain, [event(round * 100 + i)], 'any');
      const stream = `new-${(i * 3) % 11}-${round % 2}`;
      const [last] = await raw.readStream(stream, { direction: 'backwards', maxCount: 1 });
      await chained.append(stream, [event(round * 100 + i)], last ? last.revision : 'no_stream');
    }
  }

  /** The store, counting the events its readAll pages hand out. */
  function counted(store: HashChainEventStore): { store: HashChainEventStore; read: { events: number } } {
    const read = { events: 0 };
    const wrapped = Object.create(store) as HashChainEventStore;
    wrapped.readAll = async (options) => {
      const page = await store.readAll(options);
      read.events += page.length;
      return page;
    };
    return { store: wrapped, read };
  }

  it('reads only the events since the last seal, and every seal holds against a walk of the whole log', async () => {
    const heads = new SealHeads(join(dir, 'heads.db'));
    const { store, read } = counted(chained);
    await grow(1);
    const first = await sealLog(store, signer, NOW, meta, heads);
    expect(read.events).toBe(80);
    for (let round = 2; round <= 4; round++) {
      await grow(round);
      read.events = 0;
      await sealLog(store, signer, NOW, meta, heads);
      // The event at the mark, the seal after it and the round's 80 events.
      expect(read.events).toBe(1 + 1 + 80);
    }
    const report = await verifyLog(raw, { signer });
    expect(report).toMatchObject({ intact: true, sealsChecked: 4, firstBroken: null });
    expect(BigInt(report.lastSealHeld!.upToPosition)).toBe((await raw.headPosition()) - 1n);
    expect(first.seal.upToPosition).toBe('80');
    heads.close();
  });

  it('kept heads of another log are not used: the seal walks the whole log and holds', async () => {
    const heads = new SealHeads(join(dir, 'heads.db'));
    await grow(1);
    await sealLog(chained, signer, NOW, meta, heads);
    const other = new HashChainEventStore(new SqliteEventStore(join(dir, 'other.db')));
    try {
      for (let i = 0; i < 90; i++) await other.append(`o-${i % 5}`, [event(i)], 'any');
      const { seal } = await sealLog(other, signer, NOW, meta, heads);
      expect(seal.streams).toBe(5);
      expect(await verifyLog(other, { signer })).toMatchObject({ intact: true, sealsChecked: 1 });
    } finally {
      await other.close();
      heads.close();
    }
  });
});
