import type { Request } from 'express';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The route a request matched, as its template (`/initiatives/:id`), never the raw URL: logs and
 * metrics label by it, and raw paths would give every id its own series.
 */
export function routeTemplateOf(request: Request): string {
  const path: unknown = request.route?.path;
  return typeof path === 'string' ? `${request.baseUrl ?? ''}${path}` : 'unmatched';
}

/** The HTTP method, or OTHER for anything non-standard a client invents. */
export function methodOf(request: Request): string {
  return METHODS.has(request.method) ? request.method : 'OTHER';
}
