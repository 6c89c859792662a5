import { Module } from '@nestjs/common';
import { Lookups } from '../common/lookups';
import { ChangeInitiativeHandler } from './commands/change-initiative';
import { SubmitInitiativeHandler } from './commands/submit-initiative';
import { InitiativesController } from './initiatives.controller';

@Module({
  controllers: [InitiativesController],
  providers: [SubmitInitiativeHandler, ChangeInitiativeHandler, Lookups],
})
export class InitiativesModule {}
