import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { streams } from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import { member, submission } from '../test/submission';
import { LocalMasterKey } from './keys/master-key';
import { SqliteKeyStore } from './keys/sqlite-key-store';
import { PersonalDataCodec } from './personal-data-codec';
import { PersonalDataEventStore } from './personal-data-event-store';

describe('spare keys made before the first submission', () => {
  it('lets the first people after a start take keys made by prepare(), without waiting for a batch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'personal-data-spares-'));
    const keys = new SqliteKeyStore(join(dir, 'keys.db'));
    const store = new PersonalDataEventStore(new SqliteEventStore(join(dir, 'events.db')), new PersonalDataCodec(keys, new LocalMasterKey(randomBytes(32))));
    try {
      await store.codec.prepare();
      // From now on no batch of spare keys is ever made: whoever would wait for one waits forever.
      const made = jest.spyOn(keys, 'makeSpares' as never).mockReturnValue(new Promise(() => undefined) as never);
      // A thousand people, each with a key of their own: all from the batch prepare() made.
      const submitted = (async () => {
        for (let i = 0; i < 1000; i++) await store.append(streams.initiative(`a-${i}`), [submission(`a-${i}`, [{ ...member, memberNo: `CD-${i}` }])], 'no_stream');
        return 'all submitted';
      })();
      expect(await Promise.race([submitted, new Promise((resolve) => setTimeout(() => resolve('waited for a batch'), 10_000))])).toBe('all submitted');
      // The next batch was begun ahead of need, and nobody waited for it.
      expect(made).toHaveBeenCalled();
      expect((await store.readStream(streams.initiative('a-999')))[0]!.data.authors).toEqual([{ ...member, memberNo: 'CD-999' }]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
