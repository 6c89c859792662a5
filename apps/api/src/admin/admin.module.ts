import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';
import { VerificationJobs } from './verification-jobs';

@Module({
  controllers: [AdminController],
  providers: [VerificationJobs],
})
export class AdminModule {}
