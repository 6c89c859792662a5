import { MongoGenerations } from '@app/read-models';
import { describeOnProductionPair } from '../support/production-pair';
import { describeReorganisation } from './reorganisation.e2e';

jest.setTimeout(180_000);

describeOnProductionPair('a reorganisation on the production adapters', ({ name, openEvents, mongo }) => {
  let generation = 0;
  describeReorganisation(name, {
    openEvents,
    openReadModels: async () => new MongoGenerations(mongo().db(`${mongo().db().databaseName}-reorg${(generation += 1)}`)),
    maxWaitMs: 90_000,
  });
});
