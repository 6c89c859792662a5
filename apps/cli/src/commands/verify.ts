import type { IntegrityReport } from '@app/event-store';
import type { VerificationResult } from '@app/read-models';
import { ApiClient, EXIT, sleep } from '../api-client';
import { ProgressBar } from '../progress-bar';

interface Job<R> {
  id: string;
  state: 'running' | 'done' | 'failed';
  eventsRead: number;
  eventsTotal: number;
  result: R | null;
  error: string | null;
}

/** Starts a background check at `path` and follows it to its end; undefined when it failed. */
async function runJob<R>(api: ApiClient, path: string, label: string): Promise<R | undefined> {
  const job = await api.ok(api.post<Job<R>>(path, {}));
  const bar = new ProgressBar(label, Math.max(job.eventsTotal, 1));
  let state = job;
  while (state.state === 'running') {
    await sleep(200);
    state = await api.ok(api.get<Job<R>>(`${path}/${job.id}`));
    bar.update(state.eventsRead, state.eventsTotal);
  }
  bar.finish(state.state === 'done' ? `${state.eventsRead} events read` : `failed: ${state.error}`);
  return state.result ?? undefined;
}

/** `verify --integrity`: exit 0 when every stream's hash chain holds, 1 naming the first broken link. */
export async function verifyIntegrity(api: ApiClient): Promise<number> {
  const report = await runJob<IntegrityReport>(api, '/admin/integrity', 'verify: checking the hash chains');
  if (!report) return EXIT.unavailable;
  if (report.intact) {
    process.stdout.write(`intact: ${report.events} events in ${report.streams} streams, every chain holds (${report.unchainedEvents} written before chains)\n`);
    return EXIT.ok;
  }
  const b = report.firstBroken!;
  process.stdout.write(`BROKEN: ${b.kind} at stream ${b.stream}, revision ${b.revision}, position ${b.position}: ${b.detail}\n`);
  return EXIT.checkFailed;
}

/** `verify --all`, or `verify --unit U --program P`: exit 0 when the read model equals a replay of the log, 1 when not. */
export async function verify(api: ApiClient, options: { all: boolean; unit?: string; program?: string }): Promise<number> {
  let result: VerificationResult;
  if (options.all) {
    const replayed = await runJob<VerificationResult>(api, '/admin/verifications', 'verify: replaying the log');
    if (!replayed) return EXIT.unavailable;
    result = replayed;
  } else {
    result = await api.ok(api.get<VerificationResult>(`/units/${encodeURIComponent(options.unit!)}/verify`, { programId: options.program }));
  }
  if (result.consistent) {
    process.stdout.write(`consistent: ${result.checked} documents at position ${result.position} equal a replay of the event log\n`);
    return EXIT.ok;
  }
  process.stdout.write(`INCONSISTENT: ${result.differences.length} difference(s) at position ${result.position}\n`);
  for (const d of result.differences) {
    process.stdout.write(`  ${d.document}\t${d.field}\tread model: ${JSON.stringify(d.readModel)}\treplay: ${JSON.stringify(d.replay)}\n`);
  }
  return EXIT.checkFailed;
}
