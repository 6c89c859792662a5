import { Module } from '@nestjs/common';
import { ReadSide } from '../read-models/read-side';
import { ProgramCommandHandler } from './commands/program-command';
import { ProgramQueriesController } from './program-queries.controller';
import { ProgramsController } from './programs.controller';
import { GetProgramHandler } from './queries/get-program';
import { ListProgramsHandler } from './queries/list-programs';

@Module({
  controllers: [ProgramsController, ProgramQueriesController],
  providers: [ProgramCommandHandler, ReadSide, GetProgramHandler, ListProgramsHandler],
})
export class ProgramsModule {}
