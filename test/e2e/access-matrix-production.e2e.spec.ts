import { MongoClient } from 'mongodb';
import { EsdbEventStore } from '@app/event-store';
import { MongoGenerations } from '@app/read-models';
import { EsdbTestServer, startEsdbTestServer } from '../esdb-test-server';
import { describeWithMongo } from '../support/mongo-target';
import { describeAccessMatrix } from './access-matrix';

jest.setTimeout(400_000);

/** The production pairing: grants, keys and the tree read from EventStoreDB (protocol test server, or ESDB_URL); reads from MongoDB (FerretDB, or MONGO_URL). */
describeWithMongo('access matrix on the production adapters', (getUrl) => {
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
  describeAccessMatrix(process.env.ESDB_URL ? 'EventStoreDB at ESDB_URL + MongoDB' : 'EventStoreDB protocol test server + MongoDB wire', {
    events: async () => EsdbEventStore.connect(process.env.ESDB_URL ?? server!.url),
    readModels: async () => new MongoGenerations(client.db()),
  });
});
