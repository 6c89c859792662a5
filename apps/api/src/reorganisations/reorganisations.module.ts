import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CurrentTree } from './current-tree';
import { PlanPreviewer } from './plan-preview';
import { ReorganisationDecisions } from './reorganisation-decisions';
import { ReorganisationNoticeInterceptor } from './reorganisation-notice.interceptor';
import { ReorganisationRunner } from './reorganisation-runner';
import { ReorganisationsController } from './reorganisations.controller';

@Module({
  controllers: [ReorganisationsController],
  providers: [CurrentTree, PlanPreviewer, ReorganisationDecisions, ReorganisationRunner, { provide: APP_INTERCEPTOR, useClass: ReorganisationNoticeInterceptor }],
})
export class ReorganisationsModule {}
