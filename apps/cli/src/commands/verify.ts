import { readFileSync } from 'node:fs';
import type { IntegrityReport, Seal } from '@app/event-store';
import type { VerificationResult } from '@app/read-models';
import { ApiClient, CliError, EXIT, sleep } from '../api-client';
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
async function runJob<R>(api: ApiClient, path: string, label: string, body: object = {}): Promise<R | undefined> {
  const job = await api.ok(api.post<Job<R>>(path, body));
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

/**
 * `verify --integrity [--seal FILE]`: exit 0 when every stream's hash chain and seal holds, 1 naming
 * the first broken link. FILE is a seal kept elsewhere (one seal, or GET /audit/seals' answer: its last).
 */
export async function verifyIntegrity(api: ApiClient, sealFile?: string): Promise<number> {
  const exported = sealFile ? lastSeal(JSON.parse(readFileSync(sealFile, 'utf8')) as Seal | { items: Seal[] }) : undefined;
  const report = await runJob<IntegrityReport>(api, '/admin/integrity', 'verify: checking the hash chains', exported ? { seal: exported } : {});
  if (!report) return EXIT.unavailable;
  if (report.intact) {
    process.stdout.write(`intact: ${report.events} events in ${report.streams} streams, every chain holds (${report.unchainedEvents} written before chains, ${report.unchainedSealed} of them under a seal that holds)\n`);
    return EXIT.ok;
  }
  const b = report.firstBroken!;
  process.stdout.write(`BROKEN: ${b.kind} at stream ${b.stream}, revision ${b.revision}, position ${b.position}: ${b.detail}\n`);
  const held = report.lastSealHeld;
  process.stdout.write(held ? `last seal that holds: position ${held.upToPosition}, ${held.sealedAt}, root ${held.root}\n` : 'no seal holds\n');
  return EXIT.checkFailed;
}

function lastSeal(file: Seal | { items: Seal[] }): Seal {
  if ('items' in file) {
    const seal = file.items[file.items.length - 1];
    if (!seal) throw new CliError('the seal file holds no seal', EXIT.usage);
    return seal;
  }
  return file;
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
