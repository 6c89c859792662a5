import { Module } from '@nestjs/common';
import { Lookups } from '../common/lookups';
import { AssignQuotaHandler } from './assign-quota';
import { QuotasController } from './quotas.controller';

@Module({
  controllers: [QuotasController],
  providers: [AssignQuotaHandler, Lookups],
})
export class QuotasModule {}
