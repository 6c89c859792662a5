import { describeOnProductionPair } from '../support/production-pair';
import { describeQueryApi } from './query-api.e2e';

// Generous: the article case is 3,078 commands over two wire protocols, on a machine that may be shared.
jest.setTimeout(600_000);

/** The production pairing over real wire protocols: EventStoreDB (protocol test server, or ESDB_URL) and MongoDB (FerretDB, or MONGO_URL). */
describeOnProductionPair('query API on the production adapters', ({ name, openEvents, openReadModels }) =>
  describeQueryApi(name, { openEvents, openReadModels, maxWaitMs: 90_000 }),
);
