import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { EsdbEventStore, StoredEvent } from '@app/event-store';
import { LocalMasterKey, MongoKeyStore } from '@app/personal-data';
import { MongoGenerations } from '@app/read-models';
import { EsdbTestServer, startEsdbTestServer } from '../esdb-test-server';
import { describeWithMongo } from '../support/mongo-target';
import { describePersonalData } from './personal-data.e2e';

jest.setTimeout(180_000);

/** The production pairing: EventStoreDB (protocol test server, or ESDB_URL) and MongoDB (FerretDB, or MONGO_URL) for read models and keys. */
describeWithMongo('personal data on the production adapters', (getUrl) => {
  let server: EsdbTestServer | undefined;
  let client: MongoClient;
  let generation = 0;
  const masterKey = new LocalMasterKey(randomBytes(32));
  const url = () => process.env.ESDB_URL ?? server!.url;
  beforeAll(async () => {
    if (!process.env.ESDB_URL) server = await startEsdbTestServer({ statsPeriodMs: 50 });
    client = await MongoClient.connect(getUrl());
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });
  describePersonalData(process.env.ESDB_URL ? 'EventStoreDB at ESDB_URL + MongoDB' : 'EventStoreDB protocol test server + MongoDB wire', {
    openEvents: async () => EsdbEventStore.connect(url()),
    openKeys: async () => ({ keyStore: new MongoKeyStore(client.db()), masterKey }),
    openReadModels: async () => new MongoGenerations(client.db(`${client.db().databaseName}-rm${(generation += 1)}`)),
    storedBytes: async () => {
      const raw = EsdbEventStore.connect(url());
      const events: StoredEvent[] = await raw.readAll();
      await raw.close();
      return Buffer.from(JSON.stringify(events, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)));
    },
    maxWaitMs: 90_000,
  });
});
