import { Module } from '@nestjs/common';
import { Lookups } from '../common/lookups';
import { ActiveChildren } from './active-children';
import { UnitCommandHandler } from './commands/unit-command';
import { GetUnitHandler } from './queries/get-unit';
import { ListChildrenHandler } from './queries/list-children';
import { UnitQueriesController } from './unit-queries.controller';
import { UnitsController } from './units.controller';
import { ReadSide } from '../read-models/read-side';

@Module({
  controllers: [UnitsController, UnitQueriesController],
  providers: [UnitCommandHandler, Lookups, ActiveChildren, ReadSide, GetUnitHandler, ListChildrenHandler],
})
export class UnitsModule {}
