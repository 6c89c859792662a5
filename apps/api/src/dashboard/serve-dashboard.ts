import { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { static as serveStatic } from 'express';
import { dirname, join } from 'node:path';

/** apps/api/public, beside src in the repository and beside dist/apps/api/src once built (the build copies it). */
export const DASHBOARD_DIR = join(__dirname, '..', '..', 'public');
/** Chart.js as installed: the page loads its UMD build from here, never from a CDN. */
const CHART_JS_DIR = dirname(require.resolve('chart.js'));

/**
 * The dashboard's static files, public (sign-in happens in the page, with the API's own credentials):
 * the page at `/`, its files under `/assets/`; every other path goes on to the API's routes untouched.
 * The files are not versioned in their names, so browsers revalidate them (ETag) rather than keep a
 * stale page after an upgrade.
 */
export function serveDashboard(app: INestApplication): void {
  const options = { index: 'index.html', redirect: false, etag: true, cacheControl: false, setHeaders: noCache };
  const dashboard = serveStatic(DASHBOARD_DIR, options);
  app.use('/assets/vendor/chart.js', serveStatic(CHART_JS_DIR, { ...options, index: false }));
  app.use((request: Request, response: Response, next: NextFunction) => (request.path === '/' || request.path.startsWith('/assets/') ? dashboard(request, response, next) : next()));
}

function noCache(response: Response): void {
  response.setHeader('Cache-Control', 'no-cache');
}
