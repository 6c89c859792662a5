import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { methodOf, routeTemplateOf } from '../common/route-template';
import { Metrics } from './metrics';

/** Times every request and counts it under its route template once the response is sent. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: Metrics) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const stop = this.metrics.httpRequests.startTimer();
    response.once('finish', () => stop({ route: routeTemplateOf(request), method: methodOf(request), status: String(response.statusCode) }));
    next();
  }
}
