import { MongoClient } from 'mongodb';
import { EsdbEventStore, EventStore } from '@app/event-store';
import { MongoGenerations, ReadModelGenerations, RebuildQueue } from '@app/read-models';
import { EsdbTestServer, startEsdbTestServer } from '../esdb-test-server';
import { describeWithMongo } from './mongo-target';

export interface ProductionPair {
  /** A label for the suite: which EventStoreDB and MongoDB it runs against. */
  name: string;
  openEvents: () => Promise<EventStore>;
  openReadModels: () => Promise<ReadModelGenerations & RebuildQueue>;
  /** The MongoDB client of the pair, for suites that keep more than read models there. */
  mongo: () => MongoClient;
}

/**
 * The production pairing over real wire protocols: EventStoreDB (the protocol test server, or
 * ESDB_URL) and MongoDB (FerretDB, or MONGO_URL), for a suite written against any store pair.
 */
export function describeOnProductionPair(title: string, suite: (pair: ProductionPair) => void): void {
  describeWithMongo(title, (getUrl) => {
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
    suite({
      name: process.env.ESDB_URL ? 'EventStoreDB at ESDB_URL + MongoDB' : 'EventStoreDB protocol test server + MongoDB wire',
      openEvents: async () => EsdbEventStore.connect(process.env.ESDB_URL ?? server!.url),
      openReadModels: async () => new MongoGenerations(client.db()),
      mongo: () => client,
    });
  });
}
