import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { dirname, join } from 'node:path';

/** apps/api/public, beside src in the repository and beside dist/apps/api/src once built (the build copies it). */
export const DASHBOARD_DIR = join(__dirname, '..', '..', 'public');
/** Chart.js as installed: the page loads its UMD build from here, never from a CDN. */
const CHART_JS_DIR = dirname(require.resolve('chart.js'));

/**
 * The dashboard's static files at `/`, public (sign-in happens in the page, with the API's own credentials).
 * Files only: a path without one falls through to the API's routes. The files are not versioned in
 * their names, so browsers revalidate them (ETag) rather than keep a stale page after an upgrade.
 */
export function serveDashboard(app: INestApplication): void {
  const options = { index: 'index.html', redirect: false, etag: true, cacheControl: false, setHeaders: noCache };
  const express = app as NestExpressApplication;
  express.useStaticAssets(DASHBOARD_DIR, options);
  express.useStaticAssets(CHART_JS_DIR, { ...options, index: false, prefix: '/assets/vendor/chart.js/' });
}

function noCache(response: { setHeader(name: string, value: string): void }): void {
  response.setHeader('Cache-Control', 'no-cache');
}
