import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { notFound } from '@app/domain';
import { EVENT_STORE, EventStore } from '@app/event-store';
import { READ_MODEL_STORE, ReadModelStore, VerificationResult, verifyAll } from '@app/read-models';
import { Metrics } from '../metrics/metrics';

export interface VerificationJob {
  id: string;
  state: 'running' | 'done' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  eventsRead: number;
  /** Estimate: the log's head position when the job started (positions are event counts on the embedded store). */
  eventsTotal: number;
  result: VerificationResult | null;
  error: string | null;
}

const KEEP = 20;

/** Whole-system verifications run in the background: a replay of the whole log takes a while; clients poll. */
@Injectable()
export class VerificationJobs {
  private readonly jobs = new Map<string, VerificationJob>();

  constructor(
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly metrics: Metrics,
  ) {}

  async start(): Promise<VerificationJob> {
    const job: VerificationJob = {
      id: randomUUID(),
      state: 'running',
      startedAt: new Date().toISOString(),
      finishedAt: null,
      eventsRead: 0,
      eventsTotal: Number(await this.events.headPosition()),
      result: null,
      error: null,
    };
    this.jobs.set(job.id, job);
    if (this.jobs.size > KEEP) this.jobs.delete(this.jobs.keys().next().value!);
    verifyAll(this.store, this.events, { onProgress: (read) => (job.eventsRead = read) }).then(
      (result) => {
        this.metrics.verifications.inc({ scope: 'all', result: result.consistent ? 'consistent' : 'inconsistent' });
        Object.assign(job, { state: 'done', result, finishedAt: new Date().toISOString() });
      },
      (error: unknown) => {
        this.metrics.verifications.inc({ scope: 'all', result: 'failed' });
        Object.assign(job, { state: 'failed', error: String(error), finishedAt: new Date().toISOString() });
      },
    );
    return { ...job };
  }

  get(id: string): VerificationJob {
    const job = this.jobs.get(id);
    if (!job) throw notFound('Verification', id);
    return { ...job };
  }
}
