import { Module } from '@nestjs/common';
import { Lookups } from '../common/lookups';
import { ChangeUnitHandler } from './commands/change-unit';
import { RegisterUnitHandler } from './commands/register-unit';
import { UnitsController } from './units.controller';

@Module({
  controllers: [UnitsController],
  providers: [RegisterUnitHandler, ChangeUnitHandler, Lookups],
})
export class UnitsModule {}
