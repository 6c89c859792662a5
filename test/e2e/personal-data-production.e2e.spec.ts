import { randomBytes } from 'node:crypto';
import { StoredEvent } from '@app/event-store';
import { LocalMasterKey, MongoKeyStore } from '@app/personal-data';
import { MongoGenerations } from '@app/read-models';
import { describeOnProductionPair } from '../support/production-pair';
import { describePersonalData } from './personal-data.e2e';

jest.setTimeout(180_000);

/** The production pairing: EventStoreDB (protocol test server, or ESDB_URL) and MongoDB (FerretDB, or MONGO_URL) for read models and keys. */
describeOnProductionPair('personal data on the production adapters', ({ name, openEvents, mongo }) => {
  let generation = 0;
  const masterKey = new LocalMasterKey(randomBytes(32));
  describePersonalData(name, {
    openEvents,
    openKeys: async () => ({ keyStore: new MongoKeyStore(mongo().db()), masterKey }),
    openReadModels: async () => new MongoGenerations(mongo().db(`${mongo().db().databaseName}-rm${(generation += 1)}`)),
    storedBytes: async () => {
      const raw = await openEvents();
      const events: StoredEvent[] = await raw.readAll();
      await raw.close();
      return Buffer.from(JSON.stringify(events, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)));
    },
    maxWaitMs: 90_000,
  });
});
