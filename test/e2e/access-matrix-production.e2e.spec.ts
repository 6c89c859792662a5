import { describeOnProductionPair } from '../support/production-pair';
import { describeAccessMatrix } from './access-matrix';

jest.setTimeout(400_000);

/** Grants, keys and the tree read from EventStoreDB; reads answered from MongoDB. */
describeOnProductionPair('access matrix on the production adapters', ({ name, openEvents, openReadModels }) =>
  describeAccessMatrix(name, { openEvents, openReadModels }),
);
