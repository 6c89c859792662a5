import { INestApplication } from '@nestjs/common';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/**
 * Every `METHOD /path` the Express router holds, path parameters written as OpenAPI does (`{id}`).
 * Nest mounts middleware (logging, metrics) as wildcard routes for every method: those are not endpoints.
 */
export function registeredRoutes(app: INestApplication): string[] {
  const router = (app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } }).router;
  return router.stack
    .filter((layer): layer is Required<Layer> => layer.route !== undefined && !layer.route.path.includes('*'))
    .flatMap((layer) =>
      Object.keys(layer.route.methods)
        .filter((m) => m !== '_all')
        .map((m) => `${m.toUpperCase()} ${layer.route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`),
    );
}
