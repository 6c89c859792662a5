import { Injectable } from '@nestjs/common';
import { CommandObserver, CommandOutcome } from '@app/event-store';
import { FlushReport, ProjectionManager, ProjectionStatus } from '@app/read-models';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const PREFIX = 'omi_';
const SCRAPE_MEMO_MS = 500;

/**
 * Every Prometheus metric of the service, in one registry per application (tests run several
 * applications in one process). Labels take bounded values only: route templates, methods,
 * status codes, command and verification types.
 */
@Injectable()
export class Metrics implements CommandObserver {
  readonly registry = new Registry();
  private manager?: ProjectionManager;
  /** One status read serves every gauge of a scrape (reading the head of the log is not free). */
  private scrape?: { at: number; status: Promise<ProjectionStatus | undefined> };

  readonly httpRequests = new Histogram({
    name: `${PREFIX}http_request_duration_seconds`,
    help: 'HTTP requests by route template, method and status, with their latency',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly commands = new Counter({
    name: `${PREFIX}commands_total`,
    help: 'Commands handled, by command type and outcome (accepted, replayed, unchanged, refused, conflict, failed)',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly eventsAppended = new Counter({
    name: `${PREFIX}events_appended_total`,
    help: 'Events appended to the event store by commands',
    labelNames: ['command'] as const,
    registers: [this.registry],
  });

  readonly projectorBatchEvents = new Histogram({
    name: `${PREFIX}projector_batch_events`,
    help: 'Events per batch the projector wrote',
    buckets: [1, 10, 50, 100, 500, 1000, 5000],
    registers: [this.registry],
  });

  readonly projectorFlushSeconds = new Histogram({
    name: `${PREFIX}projector_flush_duration_seconds`,
    help: 'How long the projector took to write a batch (documents and checkpoint)',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });

  readonly verifications = new Counter({
    name: `${PREFIX}verifications_total`,
    help: 'Verifications of the read models against a replay of the log, by scope (unit, all) and result (consistent, inconsistent, failed)',
    labelNames: ['scope', 'result'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
    this.gauge('projector_position', 'Global log position the live read models have reached', (s) => Number(s.position));
    this.gauge('projector_head_position', 'Global position of the head of the event log', (s) => Number(s.head));
    this.gauge('projector_lag_events', 'How many positions the live read models are behind the head of the log', (s) => Number(s.lag));
    this.gauge('projector_lag_seconds', 'How old the last projected event is while the read models are behind (0 when caught up)', (s) => s.lagSeconds);
    this.gauge('rebuild_events_done', 'Events a running (or the last) rebuild has projected', (s) => s.rebuild?.eventsDone ?? 0);
    this.gauge('rebuild_events_total', 'Estimated events of a running (or the last) rebuild', (s) => s.rebuild?.eventsTotal ?? 0);
    this.gauge('rebuild_running', '1 while a rebuild of the read models runs', (s) => (s.state === 'rebuilding' ? 1 : 0));
  }

  /** The projection whose position, lag and rebuilds the gauges report. */
  watch(manager: ProjectionManager): void {
    this.manager = manager;
  }

  handled(report: { command: string; outcome: CommandOutcome; appended: number }): void {
    this.commands.inc({ command: report.command, outcome: report.outcome });
    if (report.appended > 0) this.eventsAppended.inc({ command: report.command }, report.appended);
  }

  flushed(batch: FlushReport): void {
    this.projectorBatchEvents.observe(batch.events);
    this.projectorFlushSeconds.observe(batch.durationMs / 1000);
  }

  private projectionStatus(): Promise<ProjectionStatus | undefined> {
    if (!this.scrape || Date.now() - this.scrape.at > SCRAPE_MEMO_MS) {
      this.scrape = { at: Date.now(), status: this.manager ? this.manager.status().catch(() => undefined) : Promise.resolve(undefined) };
    }
    return this.scrape.status;
  }

  /** A gauge read from the projection's status at scrape time (absent until a projection is watched, or when the stores fail). */
  private gauge(name: string, help: string, value: (status: ProjectionStatus) => number): void {
    const metrics = this;
    new Gauge({
      name: `${PREFIX}${name}`,
      help,
      registers: [this.registry],
      async collect() {
        const status = await metrics.projectionStatus();
        if (status) this.set(value(status));
      },
    });
  }
}
