import { MongoClient } from 'mongodb';
import { EsdbEventStore } from '@app/event-store';
import { MongoGenerations } from '@app/read-models';
import { EsdbTestServer, startEsdbTestServer } from '../esdb-test-server';
import { describeWithMongo } from '../support/mongo-target';
import { describeQueryApi } from './query-api.e2e';

jest.setTimeout(180_000);

/** The production pairing over real wire protocols: EventStoreDB (protocol test server, or ESDB_URL) and MongoDB (FerretDB, or MONGO_URL). */
describeWithMongo('query API on the production adapters', (getUrl) => {
  let server: EsdbTestServer | undefined;
  let client: MongoClient;
  beforeAll(async () => {
    if (!process.env.ESDB_URL) server = await startEsdbTestServer({ statsPeriodMs: 50 });
    client = await MongoClient.connect(getUrl());
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });
  describeQueryApi(process.env.ESDB_URL ? 'EventStoreDB at ESDB_URL + MongoDB' : 'EventStoreDB protocol test server + MongoDB wire', {
    openEvents: async () => EsdbEventStore.connect(process.env.ESDB_URL ?? server!.url),
    openReadModels: async () => new MongoGenerations(client.db()),
    maxWaitMs: 90_000,
  });
});
