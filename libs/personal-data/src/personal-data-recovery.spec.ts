import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERASED_PLACEHOLDER, streams } from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import { member, NOW, submission } from '../test/submission';
import { Erasures } from './erasure/erasures';
import { LocalMasterKey } from './keys/master-key';
import { SqliteKeyStore } from './keys/sqlite-key-store';
import { openPersonalData } from './open-personal-data';
import { PersonalDataEventStore } from './personal-data-event-store';

/** The files as a crash leaves them: what the process had written, nothing it still held in memory. */
function crashCopy(from: string, to: string): void {
  for (const name of ['events.db', 'keys.db']) for (const suffix of ['', '-wal']) if (existsSync(join(from, name + suffix))) copyFileSync(join(from, name + suffix), join(to, name + suffix));
}

/**
 * The key store writes who got which key in batches (the keys themselves are durable before any
 * event is sealed under them): a crash between an acknowledged append and that batch must lose
 * nothing an erasure or an access request needs.
 */
describe('personal data after a crash before the key store wrote its assignments', () => {
  const dirs: string[] = [];
  const dir = () => {
    const made = mkdtempSync(join(tmpdir(), 'personal-data-recovery-'));
    dirs.push(made);
    return made;
  };
  afterAll(() => dirs.forEach((made) => rmSync(made, { recursive: true, force: true })));

  it('reads every acknowledged name, and finds, lists and erases the member as if nothing had happened', async () => {
    const master = new LocalMasterKey(randomBytes(32));
    const live = dir();
    const store = await openPersonalData(new SqliteEventStore(join(live, 'events.db')), { keyStore: new SqliteKeyStore(join(live, 'keys.db')), masterKey: master });
    await store.append(streams.initiative('a'), [submission('a', [member, 'Lê Văn Bình'])], 'no_stream');
    await store.append(streams.initiative('b'), [submission('b', [member])], 'no_stream');
    const subject = await store.codec.subjectOf(member, '');

    // Acknowledged, then the process dies before the key store's next write.
    const crashed = dir();
    crashCopy(live, crashed);
    const left = new SqliteKeyStore(join(crashed, 'keys.db'));
    expect(await left.findBySubject(subject)).toBeUndefined();
    await left.close();

    const reopened = await openPersonalData(new SqliteEventStore(join(crashed, 'events.db')), { keyStore: new SqliteKeyStore(join(crashed, 'keys.db')), masterKey: master });
    try {
      expect((await reopened.readStream(streams.initiative('a')))[0]!.data.authors).toEqual([member, 'Lê Văn Bình']);
      const key = await reopened.codec.keys.findBySubject(subject);
      expect(key).toBeDefined();
      expect(await reopened.codec.keys.streamsOf(key!.keyId)).toEqual([streams.initiative('a'), streams.initiative('b')]);
      const erased = await new Erasures(reopened).erase({ target: { memberNo: member.memberNo }, documentRef: 'Đơn 1', reason: 'Yêu cầu', metadata: { actor: 'dpo', recordedAt: NOW, correlationId: randomUUID(), schemaVersion: 1 } });
      expect(erased?.initiativeIds).toEqual(['a', 'b']);
      expect((await reopened.readStream(streams.initiative('a')))[0]!.data.authors).toEqual([ERASED_PLACEHOLDER, 'Lê Văn Bình']);
      expect((await reopened.readStream(streams.initiative('b')))[0]!.data.authors).toEqual([ERASED_PLACEHOLDER]);
    } finally {
      await reopened.close();
      await store.close();
    }
  });

  it('needs no recovery after a clean close: the position kept covers every append', async () => {
    const master = new LocalMasterKey(randomBytes(32));
    const at = dir();
    const store: PersonalDataEventStore = await openPersonalData(new SqliteEventStore(join(at, 'events.db')), { keyStore: new SqliteKeyStore(join(at, 'keys.db')), masterKey: master });
    const { position } = await store.append(streams.initiative('c'), [submission('c', [member])], 'no_stream');
    await store.close();
    const keys = new SqliteKeyStore(join(at, 'keys.db'));
    expect(await keys.recoveryPoint()).toBe(position);
    expect(await keys.findBySubject(await store.codec.subjectOf(member, ''))).toBeDefined();
    await keys.close();
  });
});
