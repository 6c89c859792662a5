import { Module } from '@nestjs/common';
import { ProgramCommandHandler } from './commands/program-command';
import { ProgramsController } from './programs.controller';

@Module({
  controllers: [ProgramsController],
  providers: [ProgramCommandHandler],
})
export class ProgramsModule {}
