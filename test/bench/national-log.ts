import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@app/event-store';
import { ProgrammeLog } from '../../libs/read-models/test/programme-log';

/**
 * A national-shaped, deterministic programme history: a few provinces, ~100 districts and sectors,
 * ~5,000 grassroots unions and ~100,000 initiatives (~200,000 events) at scale 1, interleaved in time order the way
 * the command side records them (submissions, approvals weeks later, some rejections, withdrawals,
 * revocations, corrections and moves; units moved, merged and closed half-way; member counts
 * updated; quotas assigned).
 */
export interface NationalShape {
  provinces: number;
  districts: number;
  grassroots: number;
  initiatives: number;
}

export function nationalShape(scale: number): NationalShape {
  return {
    provinces: Math.max(1, Math.round(3 * scale)),
    districts: Math.max(2, Math.round(100 * scale)),
    grassroots: Math.max(10, Math.round(5000 * scale)),
    initiatives: Math.max(100, Math.round(100_000 * scale)),
  };
}

const DAY = 86_400_000;
const ms = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();
const date = (t: number) => iso(t + 7 * 3600_000).slice(0, 10);

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function buildNationalLog(shape: NationalShape, seed = 2022): ProgrammeLog {
  const random = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

  const log = new ProgrammeLog('vn-2022');
  const actions: { t: number; seq: number; run: () => void }[] = [];
  let seq = 0;
  const at = (t: number, run: () => void) => actions.push({ t, seq: seq++, run });

  const start = ms('2022-01-20T02:00:00Z');
  const phase1 = ms('2022-01-26T02:00:00Z');
  const mid = ms('2022-07-01T02:00:00Z');
  const closeDay = ms('2023-01-01T02:00:00Z');
  const end = ms('2023-08-31T09:00:00Z');

  // ---- the tree ----
  at(start, () => log.launchBacKan());
  const provinces = Array.from({ length: shape.provinces }, (_, i) => `tinh-${i + 1}`);
  const districts = Array.from({ length: shape.districts }, (_, i) => ({ id: `huyen-${i + 1}`, province: provinces[i % provinces.length], kind: i % 10 < 7 ? ('district' as const) : ('sector' as const) }));
  const grassroots = Array.from({ length: shape.grassroots }, (_, i) => ({ id: `cs-${i + 1}`, parent: districts[i % districts.length].id }));
  at(start + 1, () => {
    for (const p of provinces) log.unit(p, 'province', null, int(20, 60));
    for (const d of districts) log.unit(d.id, d.kind, d.province, int(5, 30));
    for (const g of grassroots) log.unit(g.id, 'grassroots', g.parent, int(20, 800));
  });
  // Quotas: every district per phase, one in ten grassroots for the whole programme.
  at(start + 2, () => {
    for (const d of districts) for (const phase of ['p1', 'p2', 'p3']) log.quota(d.id, phase, int(50, 400));
    for (const g of grassroots) if (random() < 0.1) log.quota(g.id, null, int(5, 40));
  });

  // ---- reorganisations half-way ----
  const moved = new Set<string>();
  const ended = new Set<string>();
  const reorganised = grassroots.filter(() => random() < 0.014);
  for (const [i, g] of reorganised.entries()) {
    const others = districts.filter((d) => d.id !== g.parent);
    if (i % 3 === 2) {
      // merged into a sibling that stays active
      const into = grassroots.find((x) => x.parent === g.parent && x.id !== g.id && !reorganised.includes(x));
      if (!into) continue;
      ended.add(g.id);
      at(mid + i, () => log.merge(g.id, g.parent, into.id));
    } else if (others.length > 0) {
      moved.add(g.id);
      const to = pick(others).id;
      at(mid + i, () => log.move(g.id, g.parent, to));
    }
  }
  const closed = grassroots.filter((g) => !ended.has(g.id) && random() < 0.002);
  for (const g of closed) {
    ended.add(g.id);
    at(closeDay, () => log.close(g.id, '2023-01-01'));
  }
  for (const g of grassroots) if (random() < 0.2) at(closeDay + 1, () => log.members(g.id, int(20, 800), '2023-01-01'));

  // ---- initiatives ----
  const stillActive = grassroots.filter((g) => !ended.has(g.id));
  for (let i = 1; i <= shape.initiatives; i++) {
    const id = `sk-${i}`;
    const submittedAt = int(phase1, end);
    const pool = submittedAt >= mid ? stillActive : grassroots;
    const unit = pick(pool).id;
    const appliedOn = random() < 0.02 ? '2021-06-01' : date(Math.max(ms('2021-09-01T00:00:00Z'), submittedAt - int(0, 120) * DAY));
    const benefit = String(int(1, 500) * 1_000_000);
    at(submittedAt, () => log.submit(id, unit, iso(submittedAt), benefit, { appliedOn }));
    let current = unit;
    if (random() < 0.005) {
      const to = pick(stillActive).id;
      if (to !== unit) {
        const from = unit;
        at(submittedAt + DAY, () => log.moveInitiative(id, from, to));
        current = to;
      }
    }
    if (random() < 0.01) {
      const u = current;
      at(submittedAt + 2 * DAY, () => log.correct(id, u, { benefitValue: String(int(1, 500) * 1_000_000) }));
    }
    const fate = random();
    const decidedAt = submittedAt + int(3, 45) * DAY;
    const u = current;
    if (fate < 0.85) {
      at(decidedAt, () => log.approve(id, u, iso(decidedAt), benefit));
      if (random() < 0.01) {
        const revokedAt = decidedAt + int(30, 90) * DAY;
        at(revokedAt, () => log.revoke(id, u, iso(revokedAt)));
      }
    } else if (fate < 0.91) {
      at(decidedAt, () => log.reject(id, u, iso(decidedAt)));
    } else if (fate < 0.93) {
      at(decidedAt, () => log.withdraw(id, u, iso(decidedAt)));
    }
    // else: still pending
  }

  actions.sort((a, b) => a.t - b.t || a.seq - b.seq);
  for (const action of actions) action.run();
  return log;
}

/**
 * Writes a log into an embedded event store file as the store itself would have (its own schema,
 * positions 1…n, revisions per stream, the metadata the aggregate store writes), but in one
 * transaction: building a 400k-event fixture through 400k fsyncs would take minutes.
 */
export async function writeLogToSqlite(log: ProgrammeLog, path: string): Promise<number> {
  const store = new SqliteEventStore(path); // creates the schema and sets the pragmas
  await store.close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const insert = db.prepare('INSERT INTO events (position, event_id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const revisions = new Map<string, number>();
  db.transaction(() => {
    log.entries.forEach(({ streamId, event }, i) => {
      const revision = (revisions.get(streamId) ?? -1) + 1;
      revisions.set(streamId, revision);
      const metadata = { actor: 'bench', recordedAt: '2023-09-01T00:00:00.000Z', correlationId: randomUUID(), commandId: randomUUID(), schemaVersion: 1 };
      insert.run(i + 1, randomUUID(), streamId, revision, event.type, JSON.stringify(event.data), JSON.stringify(metadata));
    });
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return log.entries.length;
}
