import { Module } from '@nestjs/common';
import { ReadSide } from '../read-models/read-side';
import { AuditController } from './audit.controller';
import { CheckUnitIntegrityHandler } from './queries/check-unit-integrity';
import { GetUnitHistoryHandler } from './queries/get-unit-history';
import { VerifyUnitHandler } from './queries/verify-unit';

@Module({
  controllers: [AuditController],
  providers: [ReadSide, GetUnitHistoryHandler, VerifyUnitHandler, CheckUnitIntegrityHandler],
})
export class AuditModule {}
