import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { notFound } from '@app/domain';
import { EVENT_STORE, EventStore, findBrokenChain, IntegrityReport, Seal, SealSigner, verifyLog } from '@app/event-store';
import { storedEvents } from '@app/personal-data';
import { READ_MODEL_STORE, SystemVerificationReads, VerificationResult, verifyAll } from '@app/read-models';
import { Metrics } from '../metrics/metrics';
import { SEAL_SIGNER } from '../integrity/seal-signer';

export interface VerificationJob {
  id: string;
  /** consistency: the read model against a replay; integrity: the log's hash chains. */
  kind: 'consistency' | 'integrity';
  state: 'running' | 'done' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  eventsRead: number;
  /** Estimate: the log's head position when the job started (positions are event counts on the embedded store). */
  eventsTotal: number;
  result: VerificationResult | IntegrityReport | null;
  error: string | null;
  /** consistency: the first broken hash chain in the log the replay read (it replays events no chain vouches for), null when every chain holds. */
  finding: string | null;
}

const KEEP = 20;

/** Whole-system verifications run in the background: a replay of the whole log takes a while; clients poll. */
@Injectable()
export class VerificationJobs {
  private readonly jobs = new Map<string, VerificationJob>();

  constructor(
    @Inject(READ_MODEL_STORE) private readonly store: SystemVerificationReads,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly metrics: Metrics,
    @Inject(SEAL_SIGNER) private readonly signer: SealSigner,
  ) {}

  /** The read model against a replay of the log, and the log's chains beside it: a replay of tampered events is no proof. */
  start(): Promise<VerificationJob> {
    return this.launch('consistency', async (onProgress, job) => {
      const [result, finding] = await Promise.all([verifyAll(this.store, this.events, { onProgress }), findBrokenChain(storedEvents(this.events))]);
      job.finding = finding;
      return result;
    });
  }

  /** Every stream's chain and every seal, as stored (encrypted personal fields included), and an exported seal if given. */
  startIntegrity(exported?: Seal): Promise<VerificationJob> {
    return this.launch('integrity', (onProgress) => verifyLog(storedEvents(this.events), { onProgress, signer: this.signer, exported: exported ? [exported] : [] }));
  }

  verifiesSeal(seal: Seal): boolean {
    return this.signer.verifies(seal);
  }

  private async launch(kind: VerificationJob['kind'], work: (onProgress: (read: number) => void, job: VerificationJob) => Promise<VerificationJob['result']>): Promise<VerificationJob> {
    const job: VerificationJob = {
      id: randomUUID(),
      kind,
      state: 'running',
      startedAt: new Date().toISOString(),
      finishedAt: null,
      eventsRead: 0,
      eventsTotal: Number(await this.events.headPosition()),
      result: null,
      error: null,
      finding: null,
    };
    this.jobs.set(job.id, job);
    if (this.jobs.size > KEEP) this.jobs.delete(this.jobs.keys().next().value!);
    work((read) => (job.eventsRead = read), job).then(
      (result) => {
        if (kind === 'consistency' && result && 'consistent' in result) this.metrics.verifications.inc({ scope: 'all', result: result.consistent ? 'consistent' : 'inconsistent' });
        Object.assign(job, { state: 'done', result, finishedAt: new Date().toISOString() });
      },
      (error: unknown) => {
        if (kind === 'consistency') this.metrics.verifications.inc({ scope: 'all', result: 'failed' });
        Object.assign(job, { state: 'failed', error: String(error), finishedAt: new Date().toISOString() });
      },
    );
    return { ...job };
  }

  get(id: string, kind: VerificationJob['kind']): VerificationJob {
    const job = this.jobs.get(id);
    if (!job || job.kind !== kind) throw notFound('Verification', id);
    return { ...job };
  }
}
