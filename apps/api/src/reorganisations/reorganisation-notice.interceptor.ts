import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { Observable } from 'rxjs';
import { ReorganisationRunner } from './reorganisation-runner';

/** The header every answer carries while this process carries out a reorganisation. */
export const REORGANISATION_HEADER = 'Reorganisation-In-Progress';

/**
 * While a reorganisation runs, figures and the tree are between the old and the new: every answer
 * says so (`Reorganisation-In-Progress: <id>; document="<ref>"; steps=<done>/<total>`), so that a
 * dashboard or a provincial system can tell a figure mid-way from a settled one.
 */
@Injectable()
export class ReorganisationNoticeInterceptor implements NestInterceptor {
  constructor(private readonly runner: ReorganisationRunner) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const running = this.runner.inProgress();
    if (running.length > 0 && context.getType() === 'http') {
      const notice = running.map((r) => `${r.id}; document="${r.documentRef.replace(/["\\]/g, '')}"; steps=${r.stepsDone}/${r.stepsTotal}`).join(', ');
      context.switchToHttp().getResponse<Response>().setHeader(REORGANISATION_HEADER, encodeURI(notice));
    }
    return next.handle();
  }
}
