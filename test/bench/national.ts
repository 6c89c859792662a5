/**
 * The national benchmark (`BENCH_NATIONAL=1 npm run bench`, or `BENCH_NATIONAL=0.25` for a quarter of
 * it): the whole programme's shape — 30 provinces, 1,000 districts and sectors, 130,000 grassroots
 * unions, 1,000,000 initiatives, about 2 M events — on the embedded default (SQLite events, SQLite
 * read models), each figure beside its target from issue 8 and a baseline of the same run; last, the
 * 2025-shaped reorganisation applied by the service to that log (issue 17).
 *
 * The service's side runs in child processes (one per phase, as a service would start), so that
 * peak RSS is the service's own, not the generator's.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { DOMAIN_EVENT_TYPES } from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import { InProcessLease, programRules, progressThen, ProjectionManager, PROJECTOR_THREAD_HEAP_MB, ReadModelStore, SqliteGenerations, unitHistory, unitStreams, verifyAll } from '@app/read-models';
import { formatMs, p99, TempDir } from './harness';
import { buildNationalLog, NationalShape, writeLogToSqlite } from './national-log';
import { CommandLoadFigures, commandsNationally, RATE_PER_SECOND, SECONDS } from './national-commands';
import { reorganiseNationally } from './national-reorganisation';
import { rawReadModelWriteMs } from './raw-read-model-write';

const PROGRAM = 'vn-2022';

const NATIONAL_PROVINCES = 30;

export function nationalTargetShape(fraction: number): NationalShape {
  return {
    provinces: NATIONAL_PROVINCES,
    districts: Math.max(30, Math.round(1000 * fraction)),
    grassroots: Math.max(100, Math.round(130_000 * fraction)),
    initiatives: Math.max(1000, Math.round(1_000_000 * fraction)),
  };
}

interface PhaseReport {
  ms: number;
  maxRssMb: number;
  [figure: string]: number;
}

// ---- the service's side (child process) ----

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function latencies(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) samples.push(await timed(() => fn(i)));
  return p99(samples);
}

const rssMb = () => process.resourceUsage().maxRSS / 1024;

function prefixed(prefix: string, { failures, ...figures }: CommandLoadFigures): Record<string, number> {
  for (const [status, answer] of Object.entries(failures)) console.error(`  commands (${prefix}): failed with ${status}, e.g. ${answer}`);
  return Object.fromEntries(Object.entries(figures).map(([name, value]) => [`${prefix}.${name}`, value]));
}

async function subject(phase: string, eventsPath: string, readModelsPath: string): Promise<PhaseReport> {
  if (phase === 'reorganise') {
    const figures = await reorganiseNationally(eventsPath, readModelsPath, NATIONAL_PROVINCES);
    return { ms: figures.appliedMs, ...figures, maxRssMb: rssMb() };
  }
  if (phase === 'floor') return { ms: rawReadModelWriteMs(readModelsPath, `${readModelsPath}.floor`), maxRssMb: rssMb() };
  if (phase === 'commands') {
    const { idle, duringRebuild, rebuildRanThroughout } = await commandsNationally(eventsPath, readModelsPath);
    return {
      ms: 0,
      maxRssMb: rssMb(),
      ...prefixed('idle', idle),
      ...prefixed('rebuild', duringRebuild),
      rebuildRanThroughout: rebuildRanThroughout ? 1 : 0,
    };
  }
  const events = new SqliteEventStore(eventsPath);
  const started = performance.now();
  const report: PhaseReport = { ms: 0, maxRssMb: 0 };
  if (phase === 'readAll') {
    let after = 0n;
    for (;;) {
      const page = await events.readAll({ after, maxCount: 1000, eventTypes: DOMAIN_EVENT_TYPES });
      if (page.length === 0) break;
      after = page[page.length - 1].position;
    }
  } else {
    // As the service starts (its generations, their pointer), so that the service's own phases below find this generation live and do not build one of their own.
    const generations = new SqliteGenerations(readModelsPath);
    const warnings: string[] = [];
    const manager = await ProjectionManager.start(events, generations, { writer: true, lease: new InProcessLease(), onWarning: (w) => warnings.push(w) });
    report.ms = performance.now() - started;
    report.warnings = warnings.length;
    if (phase === 'serve') await serve(events, manager.store, report);
    await manager.stop();
    await generations.close();
  }
  await events.close();
  if (phase === 'readAll') report.ms = performance.now() - started;
  report.maxRssMb = rssMb();
  return report;
}

async function serve(events: SqliteEventStore, store: ReadModelStore, report: PhaseReport): Promise<void> {
  const roots = (await store.progress({ programId: PROGRAM, phaseId: 'all', kind: 'province', sort: 'unitId', limit: 100 })).items.map((r) => r.unitId);
  const grassroots = (await store.progress({ programId: PROGRAM, phaseId: 'all', kind: 'grassroots', sort: 'unitId', limit: 1000 })).items.map((r) => r.unitId);
  const words = ['sang kien', 'quy trinh', 'cai tien', 'so hoa', 'tiết kiệm'];
  report.unitProgressP99 = await latencies(300, (i) => store.unitProgress(PROGRAM, grassroots[(i * 7) % grassroots.length]));
  report.programPageP99 = await latencies(100, (i) => store.progress({ programId: PROGRAM, phaseId: i % 2 ? 'all' : 'p1', sort: '-counted', limit: 50 }));
  report.rankingsP99 = await latencies(100, () => store.progress({ programId: PROGRAM, phaseId: 'p1', kind: 'grassroots', sort: '-attainmentPercent', limit: 50 }));
  report.searchP99 = await latencies(100, (i) => store.initiatives({ programId: PROGRAM, q: words[i % words.length], limit: 20 }));
  report.subtreeP99 = await latencies(100, (i) => store.initiatives({ programId: PROGRAM, unitId: roots[i % roots.length], subtree: true, limit: 20 }));
  // Pages of 50 from the journal: the first, and one deep in (after the 1,000th entry) as an auditor paging on reaches.
  const pageOf = (unitId: string, after?: bigint) => store.history({ programId: PROGRAM, unitId, phaseId: 'all', subtree: true, after, limit: 50 });
  const deepIn = async (unitId: string) => (await store.history({ programId: PROGRAM, unitId, phaseId: 'all', subtree: true, limit: 1000 })).pop()?.position;
  const provinceCursors = await Promise.all(roots.map(deepIn));
  report.provinceHistoryP99 = await latencies(100, (i) => pageOf(roots[i % roots.length], i % 2 ? BigInt(provinceCursors[i % roots.length] ?? 0) : undefined));
  report.grassrootsHistoryP99 = await latencies(100, (i) => pageOf(grassroots[(i * 13) % grassroots.length]));
  // What the unit verification replays instead (the streams of everything ever under the unit), for comparison.
  const rules = new Map([[PROGRAM, (await programRules(events, PROGRAM))!]]);
  report.provinceReplayedHistoryMs = await timed(async () => unitHistory(events, { programId: PROGRAM, unitId: roots[0], phaseId: 'all', subtree: true, rules, streams: await unitStreams(store, PROGRAM, roots[0]) }));
  const head = await events.headPosition();
  report.provinceAsOfMs = await timed(async () => progressThen(events, PROGRAM, roots[0], { kind: 'recorded', position: head }, 'then', await unitStreams(store, PROGRAM, roots[0])));
  // The whole-system verification, with queries running meanwhile.
  let verifying = true;
  const during: number[] = [];
  const queries = (async () => {
    for (let i = 0; verifying; i++) {
      during.push(await timed(() => store.unitProgress(PROGRAM, grassroots[i % grassroots.length])));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const t = performance.now();
  const result = await verifyAll(store, events);
  report.verifyMs = performance.now() - t;
  verifying = false;
  await queries;
  report.verifyConsistent = result.consistent ? 1 : 0;
  report.queriesDuringVerifyP99 = during.length ? p99(during) : 0;
}

// ---- the driver ----

/**
 * The 2025-shaped plan on this log, applied by the service while it answers (issue 17). The 5
 * minutes are for the national plan: on a fraction of the log, the rate it needs is judged.
 */
function reorganisationTargets(r: PhaseReport, fraction: number, ms: (v: number) => string): Target[] {
  const rate = r.steps / (r.appliedMs / 1000);
  const projectedRate = r.steps / (r.projectedMs / 1000);
  const nationalSteps = Math.round(r.steps / fraction);
  const needed = nationalSteps / 300;
  console.log(
    `  reorganisation: ${r.steps.toLocaleString('en')} steps applied in ${formatMs(r.appliedMs)} (${Math.round(rate).toLocaleString('en')} steps/s), ` +
      `projected by ${formatMs(r.projectedMs)}; ${r.queries} queries and ${r.commands} commands meanwhile; peak RSS ${r.maxRssMb.toFixed(0)} MB`,
  );
  const atThisRate = (perSecond: number) => (fraction === 1 ? '' : `; the national ~${nationalSteps.toLocaleString('en')} steps: ${formatMs((nationalSteps / perSecond) * 1000)}`);
  return [
    { what: 'its dry run (the plan checked, every province and sector before and after)', measured: formatMs(r.previewMs), target: '(no target)', ok: null },
    { what: `the 2025-shaped plan applied (${r.steps.toLocaleString('en')} steps)`, measured: `${formatMs(r.appliedMs)} (${Math.round(rate)} steps/s${atThisRate(rate)})`, target: `≤ 5 min nationally (≥ ${Math.ceil(needed)} steps/s)`, ok: rate >= needed },
    { what: '… and projected into the read models', measured: `${formatMs(r.projectedMs)} (${Math.round(projectedRate)} steps/s${atThisRate(projectedRate)})`, target: '≤ 5 min nationally', ok: projectedRate >= needed },
    { what: 'peak RSS during the reorganisation', measured: `${r.maxRssMb.toFixed(0)} MB`, target: '≤ 1024 MB', ok: r.maxRssMb <= 1024 },
    { what: "p99 a unit's progress during it", measured: ms(r.unitProgressP99), target: '≤ 20 ms', ok: r.unitProgressP99 <= 20 },
    { what: 'p99 a command during it (a submission)', measured: ms(r.commandP99), target: '≤ 20 ms', ok: r.commandP99 <= 20 },
  ];
}

/** Issue 8: commands p99 ≤ 20 ms at 200 requests/s for 60 s, also while a rebuild runs. */
function commandTargets(r: PhaseReport, ms: (v: number) => string): Target[] {
  const line = (prefix: string, what: string): Target => {
    const failed = r[`${prefix}.failed`];
    const measured = `p99 ${ms(r[`${prefix}.p99`])} (p50 ${ms(r[`${prefix}.p50`])}, max ${ms(r[`${prefix}.max`])}; ${Math.round(r[`${prefix}.achievedRate`])} answered/s, ${failed} failed)`;
    return { what, measured, target: '≤ 20 ms, none failed', ok: r[`${prefix}.p99`] <= 20 && failed === 0 };
  };
  return [
    line('idle', `commands at ${RATE_PER_SECOND} req/s for ${SECONDS} s (submit, approve)`),
    { ...line('rebuild', '… while a rebuild runs'), ...(r.rebuildRanThroughout === 1 ? {} : { what: '… while a rebuild runs (it finished before the window closed)' }) },
    { what: 'peak RSS under commands and a rebuild', measured: `${r.maxRssMb.toFixed(0)} MB`, target: '≤ 1024 MB', ok: r.maxRssMb <= 1024 },
  ];
}

interface Target {
  what: string;
  measured: string;
  target: string;
  ok: boolean | null;
}

/**
 * The service's processes run with this heap bound (the projector's thread and app, and the API as
 * `npm start` and the Dockerfile run it), so each phase runs with it and its peak RSS is theirs.
 */
const SERVICE_HEAP = [`--max-old-space-size=${PROJECTOR_THREAD_HEAP_MB}`];
const PHASE_NODE_OPTIONS: Record<string, string[]> = { rebuild: SERVICE_HEAP, serve: SERVICE_HEAP, reorganise: SERVICE_HEAP, commands: SERVICE_HEAP };

function runPhase(phase: string, eventsPath: string, readModelsPath: string): PhaseReport {
  const out = execFileSync(process.execPath, [...(PHASE_NODE_OPTIONS[phase] ?? []), __filename, 'subject', phase, eventsPath, readModelsPath], { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop()!) as PhaseReport;
}

export async function benchNational(fraction: number): Promise<void> {
  const tmp = new TempDir();
  try {
    const shape = nationalTargetShape(fraction);
    let t = performance.now();
    const log = buildNationalLog(shape);
    const eventsPath = tmp.file('national-events');
    const count = await writeLogToSqlite(log, eventsPath);
    console.log(
      `National log (fraction ${fraction}): ${shape.provinces} provinces, ${shape.districts.toLocaleString('en')} districts/sectors, ` +
        `${shape.grassroots.toLocaleString('en')} grassroots unions, ${shape.initiatives.toLocaleString('en')} initiatives → ${count.toLocaleString('en')} events (built and written in ${formatMs(performance.now() - t)})`,
    );
    const readModelsPath = tmp.file('national-read-models');
    t = performance.now();
    const readAll = runPhase('readAll', eventsPath, readModelsPath);
    console.log(`  baseline SqliteEventStore.readAll: ${formatMs(readAll.ms)} (${Math.round(count / (readAll.ms / 1000)).toLocaleString('en')} events/s), RSS ${readAll.maxRssMb.toFixed(0)} MB`);
    const rebuild = runPhase('rebuild', eventsPath, readModelsPath);
    console.log(`  rebuild into SQLite read models: ${formatMs(rebuild.ms)} (${Math.round(count / (rebuild.ms / 1000)).toLocaleString('en')} events/s), RSS ${rebuild.maxRssMb.toFixed(0)} MB`);
    const floor = runPhase('floor', eventsPath, readModelsPath);
    console.log(`  baseline raw better-sqlite3 writing the rebuilt read models (rows already computed, then their indexes): ${formatMs(floor.ms)}`);
    const serve = runPhase('serve', eventsPath, readModelsPath);
    console.log(`  start until live: ${formatMs(serve.ms)} (${serve.warnings} warnings); peak RSS through start, queries and verification ${serve.maxRssMb.toFixed(0)} MB`);
    const rate = count / (serve.verifyMs / 1000);
    const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;
    const targets: Target[] = [
      { what: 'start until live on an existing log', measured: formatMs(serve.ms), target: '≤ 10 s', ok: serve.ms <= 10_000 },
      { what: 'peak RSS (start, queries, verification; rebuild)', measured: `${Math.max(serve.maxRssMb, rebuild.maxRssMb).toFixed(0)} MB`, target: '≤ 1024 MB', ok: Math.max(serve.maxRssMb, rebuild.maxRssMb) <= 1024 },
      { what: 'full rebuild ÷ SqliteEventStore.readAll', measured: `${(rebuild.ms / readAll.ms).toFixed(1)}×`, target: '≤ 2×', ok: rebuild.ms <= 2 * readAll.ms },
      // Writing the output alone may cost more than twice reading the log: then no rebuild meets the line above, and this one shows how far ours is from the floor.
      {
        what: '… ÷ (readAll + the raw write of its read models)',
        measured: `${(rebuild.ms / (readAll.ms + floor.ms)).toFixed(1)}× (the raw write alone ${(floor.ms / readAll.ms).toFixed(1)}× readAll)`,
        target: '(no target)',
        ok: null,
      },
      { what: 'whole-system verification rate', measured: `${Math.round(rate).toLocaleString('en')} events/s (consistent: ${serve.verifyConsistent === 1})`, target: '≥ 100,000 events/s', ok: rate >= 100_000 && serve.verifyConsistent === 1 },
      // The log itself may be read slower than the line above asks: then no verification that reads it meets it, and this one shows how far ours is from reading alone.
      { what: '… ÷ the rate SqliteEventStore.readAll reads the log at', measured: `${(rate / (count / (readAll.ms / 1000))).toFixed(2)}× (readAll: ${Math.round(count / (readAll.ms / 1000)).toLocaleString('en')} events/s)`, target: '(no target)', ok: null },
      { what: 'queries p99 during verification', measured: ms(serve.queriesDuringVerifyP99), target: '< 100 ms', ok: serve.queriesDuringVerifyP99 < 100 },
      { what: "p99 a unit's progress", measured: ms(serve.unitProgressP99), target: '≤ 20 ms', ok: serve.unitProgressP99 <= 20 },
      { what: 'p99 a programme progress page', measured: ms(serve.programPageP99), target: '≤ 20 ms', ok: serve.programPageP99 <= 20 },
      { what: 'p99 a rankings page', measured: ms(serve.rankingsP99), target: '≤ 20 ms', ok: serve.rankingsP99 <= 20 },
      { what: "p99 a province's history page (first, and after its 1,000th entry)", measured: ms(serve.provinceHistoryP99), target: '≤ 100 ms', ok: serve.provinceHistoryP99 <= 100 },
      { what: "p99 a grassroots union's history page", measured: ms(serve.grassrootsHistoryP99), target: '≤ 100 ms', ok: serve.grassrootsHistoryP99 <= 100 },
      { what: "a province's whole history replayed from its streams (what its verification reads)", measured: ms(serve.provinceReplayedHistoryMs), target: '(no target)', ok: null },
      { what: 'p99 q= search', measured: ms(serve.searchP99), target: '≤ 50 ms', ok: serve.searchP99 <= 50 },
      { what: 'p99 subtree list (a province)', measured: ms(serve.subtreeP99), target: '≤ 50 ms', ok: serve.subtreeP99 <= 50 },
      { what: "a province's asOf figures", measured: ms(serve.provinceAsOfMs), target: '≤ 1 s', ok: serve.provinceAsOfMs <= 1000 },
      ...reorganisationTargets(runPhase('reorganise', eventsPath, readModelsPath), fraction, ms),
      // Last: its rebuild is left unfinished, and the log has grown by the commands.
      ...commandTargets(runPhase('commands', eventsPath, readModelsPath), ms),
    ];
    console.log(`\nNational targets (${count.toLocaleString('en')} events${count < 2_000_000 ? `: a fraction of the ≥ 2 M the targets are set for` : ''})\n`);
    const width = Math.max(...targets.map((x) => x.what.length));
    for (const x of targets) console.log(`  ${x.ok === null ? '–' : x.ok ? '✔' : '✘'} ${x.what.padEnd(width)}  ${x.measured.padEnd(52)} target ${x.target}`);
  } finally {
    tmp.cleanup();
  }
}

if (process.argv[2] === 'subject') {
  const [, , , phase, eventsPath, readModelsPath] = process.argv;
  subject(phase, eventsPath, readModelsPath).then(
    (report) => {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
