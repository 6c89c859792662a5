import { Module } from '@nestjs/common';
import { ReadSide } from '../read-models/read-side';
import { ProgressController } from './progress.controller';
import { GetFinishedEarlyHandler } from './queries/get-finished-early';
import { GetProgramProgressHandler } from './queries/get-program-progress';
import { GetRankingsHandler } from './queries/get-rankings';
import { GetUnitProgressHandler } from './queries/get-unit-progress';

@Module({
  controllers: [ProgressController],
  providers: [ReadSide, GetProgramProgressHandler, GetRankingsHandler, GetFinishedEarlyHandler, GetUnitProgressHandler],
})
export class ProgressModule {}
