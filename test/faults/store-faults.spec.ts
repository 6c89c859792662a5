import { INestApplication } from '@nestjs/common';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EventStore, EventStoreUnavailableError, SqliteEventStore, StoredEvent } from '@app/event-store';
import { authorized, createTestApp } from '../support/test-app';
import { BAC_KAN_PROGRAM, initiativeBody, unitBody } from '../support/bac-kan';
import { InterferingStore } from '../support/interfering-store';
import { freePort, ServiceProcess } from '../support/service-process';
import { Tmpfs } from '../support/tmpfs';
import { Ext4Volume } from '../support/ext4-volume';

jest.setTimeout(60_000);

/**
 * The store fails under the service: a full disk, a store that cannot be written at start or
 * turns read-only during operation, a crash between a command's events and its Idempotency-Key record. Each ends with every
 * acknowledged command in the log exactly once, and every answer telling the truth.
 */
describe('event store faults on the embedded default', () => {
  async function start(store: EventStore): Promise<{ app: INestApplication; api: () => ReturnType<typeof authorized> }> {
    const app = await createTestApp({ eventStore: { instance: store }, readModels: { readModel: { kind: 'sqlite', path: ':memory:' }, projector: { embedded: true } } });
    const api = () => authorized(app);
    await api().post('/programs').send(BAC_KAN_PROGRAM).expect(201);
    await api().post('/units').send(unitBody('bk', 'province', null, 12_000)).expect(201);
    return { app, api };
  }
  const submissions = (events: StoredEvent[], initiativeId: string) =>
    events.filter((e) => e.type === 'InitiativeSubmitted' && e.data.initiativeId === initiativeId).length;

  // At once, the commands' appends are committed in groups (one fsync for several): a group that fails fails each of its commands, and writes none.
  it.each(['one after the other', 'all at once'])('answers 503 EVENT_STORE_UNAVAILABLE with Retry-After on a full disk, writes nothing then, and recovers by itself (commands sent %s)', async (sent) => {
    const disk = Tmpfs.mount(4 * 1024 * 1024);
    const store = new SqliteEventStore(join(disk.dir, 'events.db'));
    const { app, api } = await start(store);
    try {
      // Fill what is left of the disk.
      const filler = join(disk.dir, 'filler');
      const fd = openSync(filler, 'w');
      const block = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) writeSync(fd, block);
      } catch {
        // ENOSPC: the disk is full.
      } finally {
        closeSync(fd);
      }
      type Answer = { key: string; status: number; body: Record<string, unknown>; retryAfter?: string };
      const submit = async (i: number): Promise<Answer> => {
        const key = `full-${i}`;
        const response = await api().post('/initiatives').set('Idempotency-Key', key).send(initiativeBody(key, 'bk'));
        return { key, status: response.status, body: response.body, retryAfter: response.headers['retry-after'] };
      };
      const answers: Answer[] = [];
      if (sent === 'all at once') answers.push(...(await Promise.all(Array.from({ length: 40 }, (_, i) => submit(i)))));
      else for (let i = 0; i < 40; i++) answers.push(await submit(i));
      expect(answers.filter((a) => a.status === 503).length).toBeGreaterThan(0);
      for (const answer of answers) {
        if (answer.status === 201) continue;
        expect(answer).toMatchObject({ status: 503, body: { code: 'EVENT_STORE_UNAVAILABLE' }, retryAfter: '5' });
      }
      // Reads still answer while the disk is full.
      await api().get('/units/bk').expect(200);
      let log = await store.readAll();
      for (const answer of answers) expect({ key: answer.key, submitted: submissions(log, answer.key) }).toEqual({ key: answer.key, submitted: answer.status === 201 ? 1 : 0 });

      // Space returns: the very next commands succeed, and retries with the same keys land once.
      rmSync(filler);
      for (const answer of answers) {
        const response = await api().post('/initiatives').set('Idempotency-Key', answer.key).send(initiativeBody(answer.key, 'bk'));
        expect({ key: answer.key, status: response.status, replayed: response.body.replayed ?? false }).toEqual({
          key: answer.key,
          status: 201,
          replayed: answer.status === 201,
        });
      }
      log = await store.readAll();
      for (const answer of answers) expect(submissions(log, answer.key)).toBe(1);
      // The key records landed with the events: a key cannot be taken over by another aggregate.
      const reused = await api().post('/initiatives').set('Idempotency-Key', 'full-0').send(initiativeBody('another', 'bk'));
      expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    } finally {
      await app.close();
      disk.unmount();
    }
  });

  it('refuses to start on a read-only store, saying why, with the file or only its directory read-only', async () => {
    // A store with events in it, then its file system turned read-only.
    const disk = Tmpfs.mount(8 * 1024 * 1024);
    const path = join(disk.dir, 'events.db');
    const { app } = await start(new SqliteEventStore(path));
    await app.close();
    disk.remount({ readOnly: true });
    try {
      for (const where of [path, join(disk.dir, 'new', 'events.db')]) {
        expect(() => new SqliteEventStore(where)).toThrow(/cannot be opened for writing .*writable by this process/);
      }
      // The service's key files live elsewhere (as in production, on their own volume): only the event store is read-only.
      const secrets = mkdtempSync(join(tmpdir(), 'secrets-'));
      const service = new ServiceProcess(await freePort(), {
        SQLITE_PATH: path,
        EVENT_STORE: 'sqlite',
        READ_MODEL: 'memory',
        MONGO_URL: '',
        ESDB_URL: '',
        AUDIT_SEAL_KEY_FILE: join(secrets, 'audit-seal.key'),
        PERSONAL_DATA_MASTER_KEY_FILE: join(secrets, 'personal-data-master.key'),
        PERSONAL_DATA_KEY_STORE_PATH: join(secrets, 'personal-data-keys.db'),
        ADMIN_KEY_FILE: join(secrets, 'admin-api-key'),
      });
      await expect(service.start()).rejects.toThrow(/service exited with 1:[\s\S]*Cannot start: The event store .* cannot be opened for writing/);
      // Writable again: the same store starts, its events intact.
      disk.remount({ readOnly: false });
      const reopened = new SqliteEventStore(path);
      // The test app's own admin key and grant come first; nothing after the programme and the unit.
      expect((await reopened.readAll()).map((e) => e.type)).toEqual(['ApiKeyCreated', 'RoleGranted', 'ProgramLaunched', 'UnitRegistered']);
      await reopened.close();
    } finally {
      disk.unmount();
    }
  });

  it('answers 503 EVENT_STORE_UNAVAILABLE with Retry-After while its file system is turned read-only under it, writes nothing then, and writes again once the volume is mounted back', async () => {
    const volume = Ext4Volume.mount(32 * 1024 * 1024);
    const store = new SqliteEventStore(join(volume.dir, 'events.db'));
    const { app, api } = await start(store);
    try {
      await api().post('/initiatives').set('Idempotency-Key', 'ro-before').send(initiativeBody('ro-before', 'bk')).expect(201);
      // The disk fails during operation: the kernel turns its file system read-only under the open store.
      volume.turnReadOnly();
      const keys = Array.from({ length: 6 }, (_, i) => `ro-${i}`);
      for (const key of keys) {
        const response = await api().post('/initiatives').set('Idempotency-Key', key).send(initiativeBody(key, 'bk'));
        expect({ key, status: response.status, code: response.body.code, retryAfter: response.headers['retry-after'] }).toEqual({ key, status: 503, code: 'EVENT_STORE_UNAVAILABLE', retryAfter: '5' });
      }
      expect((await api().post('/units/bk/members').send({ memberCount: 12_500, effectiveOn: '2022-06-01' })).status).toBe(503);
      // Reads go on, and the log holds nothing of the refused commands, not even part of one.
      await api().get('/units/bk').expect(200);
      const whileReadOnly = await store.readAll();
      for (const key of keys) expect({ key, submitted: submissions(whileReadOnly, key) }).toEqual({ key, submitted: 0 });
      expect(whileReadOnly.filter((e) => e.type === 'IdempotencyKeyUsed' || e.type === 'MemberCountRecorded').map((e) => e.data.stream ?? e.type)).toEqual(['initiative-ro-before']);

      // The operator mounts the volume back; the service opens its file again by itself, no restart.
      volume.mountBack();
      for (const key of keys) {
        const retry = await api().post('/initiatives').set('Idempotency-Key', key).send(initiativeBody(key, 'bk'));
        expect({ key, status: retry.status, replayed: retry.body.replayed ?? false }).toEqual({ key, status: 201, replayed: false });
      }
      await api().post('/initiatives').set('Idempotency-Key', 'ro-before').send(initiativeBody('ro-before', 'bk')).expect(201);
      const log = await store.readAll();
      for (const key of ['ro-before', ...keys]) expect({ key, submitted: submissions(log, key) }).toEqual({ key, submitted: 1 });
      expect((await api().get('/units/bk').expect(200)).body).toMatchObject({ unitId: 'bk' });
    } finally {
      await app.close();
      volume.unmount();
    }
  });

  it('never answers a command whose key record failed as if nothing was written (store without multi-stream transactions)', async () => {
    // EventStoreDB cannot write two streams at once: a store like it whose key record fails once.
    const sqlite = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'key-crash-')), 'events.db'));
    const { app, api } = await start(failingOnce(sqlite, 'idempotency-', new Error('ENOSPC: no space left on device (injected)')));
    try {
      const first = await api().post('/initiatives').set('Idempotency-Key', 'k-1').send(initiativeBody('sk-1', 'bk'));
      expect(first.status).toBe(503);
      expect(first.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_NOT_RECORDED', written: true, position: expect.stringMatching(/^\d+$/) });
      expect(first.headers['retry-after']).toBe('5');
      expect(submissions(await sqlite.readAll(), 'sk-1')).toBe(1);
      // Before the retry, the missing record would let the key be taken for another aggregate; the retry repairs it.
      const retry = await api().post('/initiatives').set('Idempotency-Key', 'k-1').send(initiativeBody('sk-1', 'bk'));
      expect([retry.status, retry.body]).toEqual([201, { id: 'sk-1', position: first.body.position, replayed: true }]);
      expect(submissions(await sqlite.readAll(), 'sk-1')).toBe(1);
      const reused = await api().post('/initiatives').set('Idempotency-Key', 'k-1').send(initiativeBody('sk-2', 'bk'));
      expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      expect(submissions(await sqlite.readAll(), 'sk-2')).toBe(0);
    } finally {
      await app.close();
    }
  });

  it('never answers a submission claimed on its unit but not yet written as if nothing was written (store without multi-stream transactions)', async () => {
    // EventStoreDB writes the claim on the unit's guard, then the events: here the connection drops in between.
    const sqlite = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'claim-crash-')), 'events.db'));
    const { app, api } = await start(failingOnce(sqlite, 'initiative-', new EventStoreUnavailableError('connection dropped (injected)')));
    try {
      const first = await api().post('/initiatives').set('Idempotency-Key', 'k-claimed').send(initiativeBody('sk-claimed', 'bk'));
      expect([first.status, first.body.code, first.headers['retry-after']]).toEqual([503, 'EVENT_STORE_UNAVAILABLE', '5']);
      expect(first.body.detail).toMatch(/it may have landed\. Retry with the same Idempotency-Key/);
      // The retry completes the claim and answers as a replay of it: the submission is in the log once.
      const retry = await api().post('/initiatives').set('Idempotency-Key', 'k-claimed').send(initiativeBody('sk-claimed', 'bk'));
      expect([retry.status, retry.body.id]).toEqual([201, 'sk-claimed']);
      expect(submissions(await sqlite.readAll(), 'sk-claimed')).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('writes a command’s events and its key record in one SQLite transaction: a crash between them leaves neither', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'key-atomic-')), 'events.db');
    const store = new SqliteEventStore(path);
    const { app, api } = await start(store);
    // The crash, injected inside the transaction: the key record's insert fails after the events'.
    const saboteur = new Database(path);
    saboteur.exec(`CREATE TRIGGER crash_before_key_record BEFORE INSERT ON events WHEN NEW.type = 'IdempotencyKeyUsed' BEGIN SELECT RAISE(ABORT, 'crash injected'); END`);
    try {
      const head = await store.headPosition();
      const failed = await api().post('/initiatives').set('Idempotency-Key', 'k-atomic').send(initiativeBody('sk-atomic', 'bk'));
      expect(failed.status).toBe(500);
      expect(failed.body.detail).toMatch(/nothing was written unless a position was returned/);
      expect(failed.body.position).toBeUndefined();
      expect(await store.headPosition()).toBe(head);
      saboteur.exec('DROP TRIGGER crash_before_key_record');
      const retry = await api().post('/initiatives').set('Idempotency-Key', 'k-atomic').send(initiativeBody('sk-atomic', 'bk'));
      expect([retry.status, retry.body.replayed]).toEqual([201, undefined]);
      const log = await store.readAll();
      expect(submissions(log, 'sk-atomic')).toBe(1);
      expect(log.filter((e) => e.type === 'IdempotencyKeyUsed')).toHaveLength(1);
      const reused = await api().post('/initiatives').set('Idempotency-Key', 'k-atomic').send(initiativeBody('sk-other', 'bk'));
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    } finally {
      saboteur.close();
      await app.close();
    }
  });
});

/** The store without multi-stream transactions (as EventStoreDB), whose next append to a stream starting with `prefix` fails with `error`. */
function failingOnce(inner: EventStore, prefix: string, error: Error): EventStore {
  let armed = true;
  return new (class extends InterferingStore {
    override async append(...args: Parameters<EventStore['append']>) {
      if (armed && args[0].startsWith(prefix)) {
        armed = false;
        throw error;
      }
      return super.append(...args);
    }
  })(inner);
}
