import { randomBytes } from 'node:crypto';
import { streams } from '@app/domain';
import { HashChainEventStore, SqliteEventStore } from '@app/event-store';
import { submission } from '../test/submission';
import { LocalMasterKey } from './keys/master-key';
import { SqliteKeyStore } from './keys/sqlite-key-store';
import { PersonalDataCodec } from './personal-data-codec';
import { PersonalDataEventStore } from './personal-data-event-store';

/** The service's projector thread is woken by the commits of the file under every layer the service puts over it. */
describe('commits told through the service layers', () => {
  it('calls the listener once per committed group of appends, after the append is answered, until told to stop', async () => {
    const store = new PersonalDataEventStore(new HashChainEventStore(new SqliteEventStore(':memory:')), new PersonalDataCodec(new SqliteKeyStore(':memory:'), new LocalMasterKey(randomBytes(32))));
    try {
      const heads: bigint[] = [];
      const stop = store.onAppend!(() => void store.headPosition().then((head) => heads.push(head)));
      await store.append(streams.initiative('a'), [submission('a', ['Lê Văn Bình'])], 'no_stream');
      // Asked in one turn: one group, one notice.
      await Promise.all(['b', 'c'].map((id) => store.append(streams.initiative(id), [submission(id, ['Hà Văn Tư'])], 'no_stream')));
      await new Promise((resolve) => setImmediate(resolve));
      expect(heads).toEqual([1n, 3n]);
      stop();
      await store.append(streams.initiative('d'), [submission('d', ['Nông Văn Dền'])], 'no_stream');
      await new Promise((resolve) => setImmediate(resolve));
      expect(heads).toEqual([1n, 3n]);
    } finally {
      await store.close();
    }
  });
});
