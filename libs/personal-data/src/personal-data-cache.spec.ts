import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERASED_PLACEHOLDER, streams } from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import { member, NOW, submission } from '../test/submission';
import { Erasures } from './erasure/erasures';
import { LocalMasterKey } from './keys/master-key';
import { SqliteKeyStore } from './keys/sqlite-key-store';
import { PersonalDataCodec } from './personal-data-codec';
import { PersonalDataEventStore } from './personal-data-event-store';

/**
 * A process remembers the keys (and clear values) it saw, and asks the key store for them again
 * only when the store's count of destructions has grown: a key destroyed by any process, this one
 * or another sharing the files, must never open a value again.
 */
describe('personal data remembered by a process', () => {
  let dir: string;
  const master = new LocalMasterKey(randomBytes(32));
  const opened: PersonalDataEventStore[] = [];
  /** A store over the same files, as another process opens them: it shares nothing in memory. */
  const open = (): PersonalDataEventStore => {
    const store = new PersonalDataEventStore(new SqliteEventStore(join(dir, 'events.db')), new PersonalDataCodec(new SqliteKeyStore(join(dir, 'keys.db')), master));
    opened.push(store);
    return store;
  };
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'personal-data-cache-'))));
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads back what it wrote without asking the key store while nothing was destroyed', async () => {
    const store = open();
    await store.append(streams.initiative('a'), [submission('a', [member, 'Lê Văn Bình'])], 'no_stream');
    const asked = jest.spyOn(store.codec.keys, 'wrappedKeys');
    // The first read learns the store's count of destructions; the next ones trust what was seen under it.
    for (let i = 0; i < 3; i++) expect((await store.readStream(streams.initiative('a')))[0]!.data.authors).toEqual([member, 'Lê Văn Bình']);
    expect(asked.mock.calls.length).toBeLessThanOrEqual(1);
    const before = asked.mock.calls.length;
    expect((await store.readStream(streams.initiative('a')))[0]!.data.authors).toEqual([member, 'Lê Văn Bình']);
    expect(asked.mock.calls.length).toBe(before);
  });

  it('shows the placeholder once another process destroyed the key, though it read the name just before', async () => {
    const writer = open();
    await writer.append(streams.initiative('a'), [submission('a', [member, 'Lê Văn Bình'])], 'no_stream');
    await writer.append(streams.initiative('b'), [submission('b', [member])], 'no_stream');
    expect((await writer.readStream(streams.initiative('a')))[0]!.data.authors).toEqual([member, 'Lê Văn Bình']);
    expect((await writer.readStream(streams.initiative('b')))[0]!.data.authors).toEqual([member]);
    // Who got which key reaches the file (as within 200 ms, or at an access listing): another process can find the member.
    await writer.codec.keys.streamsOf('');

    const other = open();
    const erased = await new Erasures(other).erase({ target: { memberNo: member.memberNo }, documentRef: 'Đơn 1', reason: 'Yêu cầu', metadata: { actor: 'dpo', recordedAt: NOW, correlationId: randomUUID(), schemaVersion: 1 } });
    expect(erased?.initiativeIds).toEqual(['a', 'b']);

    // The writer has not read the erasure event: only the key store tells it.
    expect((await writer.readStream(streams.initiative('a')))[0]!.data.authors).toEqual([ERASED_PLACEHOLDER, 'Lê Văn Bình']);
    expect((await writer.readStream(streams.initiative('b')))[0]!.data.authors).toEqual([ERASED_PLACEHOLDER]);
  });

  it('shows the placeholder after a destruction straight in the key store by another process', async () => {
    const writer = open();
    const [sealed] = await writer.codec.encode(streams.initiative('c'), [submission('c', ['Trần Thị Hoa'])]);
    const keyId = (sealed!.data.authors as { $personal: string }[])[0]!.$personal;
    expect(await writer.codec.decode([sealed!])).toEqual([expect.objectContaining({ data: expect.objectContaining({ authors: ['Trần Thị Hoa'] }) })]);
    const other = new SqliteKeyStore(join(dir, 'keys.db'));
    await other.destroy([keyId]);
    await other.close();
    expect((await writer.codec.decode([sealed!]))[0]!.data.authors).toEqual([ERASED_PLACEHOLDER]);
    expect(await writer.codec.openValue((sealed!.data.authors as { $personal: string; sealed: string }[])[0]!)).toBeUndefined();
  });

  it('counts the destructions in the key store file, for every process to read', async () => {
    const keys = new SqliteKeyStore(join(dir, 'keys.db'));
    const other = new SqliteKeyStore(join(dir, 'keys.db'));
    try {
      expect(keys.destructions()).toBe(0);
      await other.destroy(['no-such-key']);
      expect(keys.destructions()).toBe(1);
      await keys.destroy([]);
      expect(other.destructions()).toBe(2);
    } finally {
      await keys.close();
      await other.close();
    }
  });
});
