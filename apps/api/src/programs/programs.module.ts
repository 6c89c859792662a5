import { Module } from '@nestjs/common';
import { ChangeProgramRulesHandler } from './commands/change-program-rules';
import { LaunchProgramHandler } from './commands/launch-program';
import { ProgramsController } from './programs.controller';

@Module({
  controllers: [ProgramsController],
  providers: [LaunchProgramHandler, ChangeProgramRulesHandler],
})
export class ProgramsModule {}
