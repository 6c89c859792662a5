import { Module } from '@nestjs/common';
import { Lookups } from '../common/lookups';
import { InitiativeCommandHandler } from './commands/initiative-command';
import { InitiativeQueriesController } from './initiative-queries.controller';
import { InitiativesController } from './initiatives.controller';
import { GetInitiativeHandler } from './queries/get-initiative';
import { ListInitiativesHandler } from './queries/list-initiatives';
import { ReadSide } from '../read-models/read-side';

@Module({
  controllers: [InitiativesController, InitiativeQueriesController],
  providers: [InitiativeCommandHandler, Lookups, ReadSide, ListInitiativesHandler, GetInitiativeHandler],
})
export class InitiativesModule {}
