import { MongoClient } from 'mongodb';
import { EsdbEventStore, EventStore, SqliteEventStore } from '@app/event-store';
import { InProcessLease, MemoryReadModelStore, MongoReadModelStore, programmeProjector } from '@app/read-models';
import { EsdbTestServer, startEsdbTestServer } from '../esdb-test-server';
import { describeWithMongo } from '../support/mongo-target';
import { ProgrammeLog } from '../../libs/read-models/test/programme-log';
import { documentsOf } from '../support/read-model-documents';

jest.setTimeout(60_000);

const history = () => {
  const log = new ProgrammeLog('bk').launchBacKan().unit('prov', 'province', null, 100).unit('a', 'district', 'prov', 300).unit('b', 'district', 'prov', 500);
  for (let i = 0; i < 40; i++) {
    const unit = i % 2 ? 'a' : 'b';
    log.submit(`i${i}`, unit, `2022-0${2 + (i % 6)}-1${i % 10}T03:00:00Z`).approve(`i${i}`, unit, '2022-08-01T03:00:00Z', `${i * 1000}`);
  }
  return log.move('a', 'prov', 'b').quota('b', 'p1', 7).revoke('i3', 'a');
};

/**
 * The projector stops, the log grows, a new projector starts from the stored checkpoint: the read
 * models end as if it had never stopped — on the production pair (EventStoreDB protocol + MongoDB wire).
 */
describeWithMongo('projector restart on EventStoreDB + MongoDB', (getUrl) => {
  let server: EsdbTestServer;
  let client: MongoClient;
  beforeAll(async () => {
    server = await startEsdbTestServer({ statsPeriodMs: 20 });
    client = await MongoClient.connect(getUrl());
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  it('resumes from the checkpoint and converges to a projection of the whole log', async () => {
    const log = history();
    const half = Math.floor(log.entries.length / 2);
    const events: EventStore = EsdbEventStore.connect(server.url);
    try {
      await log.appendTo(events, 0, half);
      const lease = new InProcessLease();
      const first = programmeProjector(events, await MongoReadModelStore.open(client.db()), lease, { batchSize: 10 });
      await first.start();
      const stoppedAt = await (await MongoReadModelStore.open(client.db())).checkpoint();
      await first.stop();
      expect(stoppedAt > 0n).toBe(true);

      await log.appendTo(events, half);
      const mongo = await MongoReadModelStore.open(client.db());
      const warnings: string[] = [];
      const second = programmeProjector(events, mongo, lease, { batchSize: 10, onWarning: (w) => warnings.push(w) });
      await second.start();
      // It started from the state the first one saved at its stop, not from a replay of the log.
      expect(warnings).toEqual([]);
      expect((await mongo.savedState())?.position).toBe(await events.headPosition());
      await second.stop();
      expect(await mongo.checkpoint()).toBe(await events.headPosition());

      // Reference: the whole log projected in one go, in memory, from an embedded copy of it.
      const reference = new SqliteEventStore(':memory:');
      await log.appendTo(reference);
      const memory = new MemoryReadModelStore();
      const once = programmeProjector(reference, memory, new InProcessLease());
      await once.start();
      await once.stop();
      await reference.close();
      // An initiative's `position` is its last event's log position, which differs between the two stores by nature.
      expect(await documentsOf(mongo, { withoutPositions: true })).toEqual(await documentsOf(memory, { withoutPositions: true }));
    } finally {
      await events.close();
    }
  });
});
