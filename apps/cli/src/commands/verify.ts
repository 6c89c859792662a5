import type { VerificationResult } from '@app/read-models';
import { ApiClient, EXIT, sleep } from '../api-client';
import { ProgressBar } from '../progress-bar';

interface Job {
  id: string;
  state: 'running' | 'done' | 'failed';
  eventsRead: number;
  eventsTotal: number;
  result: VerificationResult | null;
  error: string | null;
}

/** `verify --all`, or `verify --unit U --program P`: exit 0 when the read model equals a replay of the log, 1 when not. */
export async function verify(api: ApiClient, options: { all: boolean; unit?: string; program?: string }): Promise<number> {
  let result: VerificationResult;
  if (options.all) {
    const job = await api.ok(api.post<Job>('/admin/verifications', {}));
    const bar = new ProgressBar('verify: replaying the log', Math.max(job.eventsTotal, 1));
    let state = job;
    while (state.state === 'running') {
      await sleep(200);
      state = await api.ok(api.get<Job>(`/admin/verifications/${job.id}`));
      bar.update(state.eventsRead, state.eventsTotal);
    }
    if (state.state === 'failed' || !state.result) {
      bar.finish(`failed: ${state.error}`);
      return EXIT.unavailable;
    }
    bar.finish(`${state.result.checked} documents compared`);
    result = state.result;
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
