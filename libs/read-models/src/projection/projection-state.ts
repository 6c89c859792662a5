import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { LocalDate, MemberCount, ProgramRules, UnitKind } from '@app/domain';
import { DateCounts } from '../progress/date-counts';
import { Figures } from '../progress/figures';
import { ReadModelProjections, ProjectionLimits, ProjectionStateData, ProjectionStatePart, UnitNode } from './read-model-projections';
import { PROGRESS_PROJECTION_VERSION } from './projection-version';

/**
 * The projection's state as the store keeps it beside the checkpoint, so that a start loads it and
 * replays only the tail of the log. Opaque to the store: the body is checked against its checksum,
 * and a state of another version (of the projection's code or of this format) is refused.
 */
export interface SavedProjectionState {
  version: string;
  /** The last event the state includes; never beyond the checkpoint it was saved with. */
  position: bigint;
  /** sha256 of the body, hex. */
  checksum: string;
  body: string;
}

/** Raise the format with any change to what exportState() holds or how it is encoded here. */
const STATE_FORMAT = 3;
export const PROJECTION_STATE_VERSION = `progress/${PROGRESS_PROJECTION_VERSION}/state/${STATE_FORMAT}`;

/** Benefit as a JSON number while it is exactly one (parsing is much cheaper), else as digits. */
type EncodedFigures = [number, number, number, number, number, number, number | string, number[]];
type EncodedUnit = [string, string, UnitKind, string | null, UnitNode['status'], string | null, (string | number)[], LocalDate | null, string[]];

const encodeFigures = (f: Figures): EncodedFigures => [f.submitted, f.approved, f.pending, f.rejected, f.withdrawn, f.counted, exactNumber(f.benefitValue), f.countedByDate.encode() as number[]];
const decodeFigures = ([submitted, approved, pending, rejected, withdrawn, counted, benefit, dates]: EncodedFigures): Figures => ({
  submitted,
  approved,
  pending,
  rejected,
  withdrawn,
  counted,
  benefitValue: BigInt(benefit),
  countedByDate: DateCounts.decode(dates),
});

const exactNumber = (value: bigint): number | string => (value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString());

// Positional: 130,000 of them, so no field names.
const encodeUnit = (u: UnitNode): EncodedUnit => [u.unitId, u.name, u.kind, u.parentId, u.status, u.mergedInto, u.memberCounts.flatMap((c) => [c.effectiveOn, c.count]), u.endedOn, u.everPath];
const decodeUnit = ([unitId, name, kind, parentId, status, mergedInto, counts, endedOn, everPath]: EncodedUnit): UnitNode => {
  const memberCounts: MemberCount[] = [];
  for (let i = 0; i < counts.length; i += 2) memberCounts.push({ effectiveOn: counts[i] as LocalDate, count: counts[i + 1] as number });
  return { unitId, name, kind, parentId, status, mergedInto, memberCounts, endedOn, everPath };
};

/**
 * Unit names are Vietnamese: one such letter makes a JavaScript string two bytes per character.
 * Written as escapes, the body stays one byte per character: half of what a start holds while parsing.
 */
function asciiOnly(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function checksumOf(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/**
 * Entries of a section (units, quotas, figures…) written as one line of the body, each line a JSON
 * document of its own: a restore parses one line per step, where the one parse of a national state
 * (120 MB) held its thread ~2 s. 10,000 entries make lines of 1–4 MB, parsed in tens of milliseconds.
 */
const ENTRIES_PER_LINE = 10_000;

type Section = 'units' | 'quotas' | 'initiativesOfUnit' | 'own' | 'subtree';
const SECTIONS: readonly Section[] = ['units', 'quotas', 'initiativesOfUnit', 'own', 'subtree'];

/**
 * The body is lines (JSON never writes a raw newline): first `{ position, programs }`, then
 * `[section, entries]` lines in the order of SECTIONS.
 */
export function saveProjectionState(projection: ReadModelProjections): SavedProjectionState {
  // Each line encoded as its part is taken: what is held beside the projection is the text, not a copy of the state as objects.
  const lines = [asciiOnly(JSON.stringify({ position: projection.position.toString(), programs: projection.programEntries() }))];
  for (const part of projection.exportStateInParts(ENTRIES_PER_LINE)) lines.push(asciiOnly(JSON.stringify([part.section, encodePart(part)])));
  const body = lines.join('\n');
  return { version: PROJECTION_STATE_VERSION, position: projection.position, checksum: checksumOf(body), body };
}

function encodePart(part: ProjectionStatePart): unknown[] {
  switch (part.section) {
    case 'units':
      return part.entries.map(encodeUnit);
    case 'own':
    case 'subtree':
      return part.entries.map(([k, byPhase]) => [k, byPhase.map(([phase, f]) => [phase, encodeFigures(f)])]);
    default:
      return part.entries;
  }
}

export class StateRefusedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'StateRefusedError';
  }
}

/** The projection the saved state holds; StateRefusedError when it is of another version, corrupt, or ahead of `checkpoint`. */
export function restoreProjectionState(saved: SavedProjectionState, checkpoint: bigint, fixedRules: ReadonlyMap<string, ProgramRules> = new Map(), limits: ProjectionLimits = {}): ReadModelProjections {
  const steps = restoreSteps(saved, checkpoint, fixedRules, limits);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same, handing the event loop back between its steps, for a thread that answers requests
 * meanwhile: a national state is 120 MB of JSON, whose restore in one block held every request for
 * seconds; now its longest step is building the tree once its lines are read.
 */
export async function restoreProjectionStateBetweenTurns(
  saved: SavedProjectionState,
  checkpoint: bigint,
  fixedRules: ReadonlyMap<string, ProgramRules> = new Map(),
  limits: ProjectionLimits = {},
): Promise<ReadModelProjections> {
  const steps = restoreSteps(saved, checkpoint, fixedRules, limits);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await nextTurn();
  }
}

/** Body characters hashed in one step: 8 M take a few milliseconds. */
const HASHED_PER_STEP = 8 << 20;

/** The restore as steps, each short enough to run between two turns of the event loop: the checksum in parts, then a line at a time. */
function* restoreSteps(saved: SavedProjectionState, checkpoint: bigint, fixedRules: ReadonlyMap<string, ProgramRules>, limits: ProjectionLimits): Generator<void, ReadModelProjections> {
  if (saved.version !== PROJECTION_STATE_VERSION) throw new StateRefusedError(`it is of version ${saved.version}, not ${PROJECTION_STATE_VERSION}`);
  if (saved.position > checkpoint) throw new StateRefusedError(`it is at position ${saved.position}, beyond the checkpoint ${checkpoint}`);
  const hash = createHash('sha256');
  for (let at = 0; at < saved.body.length; at += HASHED_PER_STEP) {
    hash.update(saved.body.slice(at, at + HASHED_PER_STEP));
    yield;
  }
  if (hash.digest('hex') !== saved.checksum) throw new StateRefusedError('its checksum does not match its contents');
  const lines = linesOf(saved.body);
  try {
    const head = parsed(lines.next().value ?? '') as { position: string; programs: ProjectionStateData['programs'] };
    if (BigInt(head.position) !== saved.position) throw new StateRefusedError('its contents are of another position than it says');
    yield;
    const data: ProjectionStateData = { position: saved.position, programs: head.programs, units: [], quotas: [], initiativesOfUnit: [], own: [], subtree: [] };
    // The figures come last: each of their lines goes straight into the projection, built once the tree is read.
    let projection: ReadModelProjections | undefined;
    let reached = 0;
    for (const line of lines) {
      const [section, entries] = parsed(line) as [Section, unknown[]];
      const at = SECTIONS.indexOf(section);
      if (at < reached) throw new Error(at === -1 ? `a section named ${JSON.stringify(section)}` : `${section} after ${SECTIONS[reached]}`);
      reached = at;
      if (section === 'own' || section === 'subtree') {
        projection ??= ReadModelProjections.fromState(data, fixedRules, limits);
        projection.progress.restoreFigures(section, (entries as RawFigures).map(([k, byPhase]) => [k, byPhase.map(([phase, f]) => [phase, decodeFigures(f)])]));
      } else if (section === 'units') for (const unit of entries as EncodedUnit[]) data.units.push(decodeUnit(unit));
      else (data[section] as unknown[]).push(...entries);
      yield;
    }
    return projection ?? ReadModelProjections.fromState(data, fixedRules, limits);
  } catch (error) {
    if (error instanceof StateRefusedError) throw error;
    // Intact (its checksum holds) yet not of this format: written by a defective build, so never trusted.
    throw new StateRefusedError(`it does not decode (${(error as Error).message})`);
  }
}

type RawFigures = [string, [string, EncodedFigures][]][];

function* linesOf(body: string): Generator<string> {
  for (let at = 0; at < body.length; ) {
    const end = body.indexOf('\n', at);
    yield body.slice(at, end === -1 ? body.length : end);
    at = end === -1 ? body.length : end + 1;
  }
}

function parsed(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new StateRefusedError('it is not readable');
  }
}
