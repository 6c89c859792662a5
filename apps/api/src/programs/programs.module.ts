import { Module } from '@nestjs/common';
import { ReadSide } from '../read-models/read-side';
import { ChangeProgramRulesHandler } from './commands/change-program-rules';
import { LaunchProgramHandler } from './commands/launch-program';
import { ProgramQueriesController } from './program-queries.controller';
import { ProgramsController } from './programs.controller';
import { GetProgramHandler } from './queries/get-program';
import { ListProgramsHandler } from './queries/list-programs';

@Module({
  controllers: [ProgramsController, ProgramQueriesController],
  providers: [LaunchProgramHandler, ChangeProgramRulesHandler, ReadSide, GetProgramHandler, ListProgramsHandler],
})
export class ProgramsModule {}
