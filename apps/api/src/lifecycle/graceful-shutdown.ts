import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { ProjectionManager } from '@app/read-models';
import { PROJECTION_MANAGER } from '../read-models/projection-manager.provider';

export const SHUTDOWN_GRACE_MS = Symbol('SHUTDOWN_GRACE_MS');

/**
 * SIGTERM (or app.close()): stop accepting connections, let the requests in flight finish (up to
 * the grace period), then stop the projector, which writes what it applied and its checkpoint.
 * Only then do the stores close (their onApplicationShutdown hooks run after this one).
 */
@Injectable()
export class GracefulShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  /** Read by /health/ready: a load balancer stops sending requests as soon as the shutdown starts. */
  stopping = false;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(PROJECTION_MANAGER) private readonly manager: ProjectionManager,
    @Inject(SHUTDOWN_GRACE_MS) private readonly graceMs: number,
  ) {}

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.stopping = true;
    if (signal) this.logger.log(`${signal}: finishing the requests in flight`);
    await this.drain(this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined);
    await this.manager.stop();
    const status = await this.manager.status().catch(() => undefined);
    if (signal && status) this.logger.log(`Projector stopped with its checkpoint at position ${status.position}`);
  }

  private async drain(server: Server | undefined): Promise<void> {
    if (!server?.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const timer = setTimeout(() => {
      this.logger.warn(`Requests still in flight after ${this.graceMs} ms: closing their connections`);
      server.closeAllConnections();
    }, this.graceMs);
    await closed;
    clearTimeout(timer);
  }
}
