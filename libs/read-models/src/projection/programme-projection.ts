import {
  AnyDomainEvent,
  authorName,
  Contribution,
  contributionOf,
  defaultQuota,
  domainEventCodec,
  InitiativeEvent,
  isDomainEventType,
  LocalDate,
  MemberCount,
  membersOn,
  ProgramEvent,
  ProgramRules,
  programSpan,
  QuotaEvent,
  UnitEvent,
  UnitKind,
  WHOLE_PROGRAM_KEY,
} from '@app/domain';
import { StoredEvent } from '@app/event-store';
import { JournalChanges, JournalLine, changeBetween, journalEventOf } from '../audit/history-journal';
import { InitiativeDoc } from '../initiatives/initiative-doc';
import { foldDiacritics } from '../initiatives/fold-diacritics';
import { addFigures, attainmentPercent, emptyFigures, Figures, reachedQuotaOn } from '../progress/figures';
import { ProgressRow } from '../progress/progress-row';
import { ProgramDoc } from '../programs/program-doc';
import { UnitDoc } from '../units/unit-doc';
import { addContribution } from './contribution';
import { evolveNode, InitiativeNode } from './initiative-node';

export interface UnitNode {
  unitId: string;
  name: string;
  kind: UnitKind;
  parentId: string | null;
  status: 'active' | 'merged' | 'closed';
  mergedInto: string | null;
  memberCounts: MemberCount[];
  /** A merged or closed unit has no members of its own from this date. */
  endedOn: LocalDate | null;
  /** The unit and every unit it has ever been under: whose histories its events belong to. */
  everPath: string[];
}

export interface ProgramEntry {
  rules: ProgramRules;
  /** Rules versions recorded so far (launch = 1, +1 per rule change). */
  latestRulesVersion: number;
}

/** The documents to write after a batch: everything the batch changed, each whole. */
export interface ProjectionChanges {
  progress: ProgressRow[];
  units: UnitDoc[];
  initiatives: InitiativeDoc[];
  programs: ProgramDoc[];
  /** The history journal's new lines (a projection that keeps the journal; see ProjectionLimits). */
  journal?: JournalChanges;
}

export interface ProjectedEvent {
  type: string;
  data: Record<string, unknown>;
  position: bigint;
  metadata?: { schemaVersion?: number };
}

/**
 * What an initiative's document says beyond the figures. The projection holds it only for the
 * initiatives the current batch changed; the rest is read back from the stored document.
 */
interface InitiativeDescription {
  title: string;
  authors: string[];
  searchText: string;
  category: string;
  submittedAt: string;
  approvedAt: string | null;
  decisionRef: string | null;
  reason: string | null;
  position: bigint;
}

/** The stored documents of initiatives a flush must re-render without having seen their submission, by id. */
export type PreviousInitiatives = ReadonlyMap<string, InitiativeDoc>;

/** The projection's state between batches (see projection-state.ts for how it is saved). */
export interface ProjectionStateData {
  position: bigint;
  programs: [string, ProgramEntry][];
  units: UnitNode[];
  quotas: [string, [string, number][]][];
  /** The initiatives of each unit, by id: what a move re-renders. Their nodes are not saved (see ProjectionLimits). */
  initiativesOfUnit: [string, string[]][];
  own: [string, [string, Figures][]][];
  subtree: [string, [string, Figures][]][];
}

/** A unit's figures in the phases an event touched, as they were before it: subtree counted and benefit, own counted and benefit. */
interface TouchedTotals {
  programId: string;
  unitId: string;
  before: Map<string, [number, bigint, number, bigint]>;
}

const key = (programId: string, unitId: string) => `${programId}\u0000${unitId}`;

/**
 * Descriptions of the initiatives rendered last, kept so that a decision soon after a submission
 * (the usual case, live) needs no read of the stored document; bounded, so memory does not grow
 * with the history.
 */
const RECENT_DESCRIPTIONS = 50_000;

const ALL_PHASES = 'every phase';

export interface ProjectionLimits {
  /** Descriptions of recently rendered initiatives kept (default 50,000). */
  recentDescriptions?: number;
  /**
   * Initiative nodes kept between batches (default: all). With a bound, the nodes of initiatives
   * not touched lately are let go after a flush, and the caller gives them back before an event of
   * theirs (`initiativeToLoad`, `load`): the projector folds them from the initiative's stream.
   */
  initiativesInMemory?: number;
  /**
   * Keep the history journal (see history-journal.ts): each flush carries the lines of its events;
   * `{ unitId }` keeps one unit's lines only (a unit's verification). Needs stored events.
   */
  journal?: boolean | { unitId: string };
}

/**
 * The programme's read models computed in memory from the event log: units, initiatives and
 * progress figures, own and rolled up over subtrees. Applying an event updates the figures
 * incrementally (an initiative's old contribution out, its new one in, along its unit's chain of
 * ancestors); `flush()` returns whole documents for everything changed since the last flush.
 *
 * Whole documents make writes idempotent: replaying events after a crash recomputes the same
 * documents, so writing them again changes nothing. Rules are those the programme had when the
 * projection started (or `fixedRules`, for a rebuild under today's rules); rule changes recorded
 * later only mark the figures stale until a rebuild.
 *
 * Rollups follow the current tree: a move or merge re-attaches the unit's whole history to its
 * new place from the moment it is recorded.
 */
export class ProgrammeProjection {
  position = 0n;
  private readonly programs = new Map<string, ProgramEntry>();
  private readonly units = new Map<string, UnitNode>();
  private readonly children = new Map<string, Set<string>>();
  private readonly quotas = new Map<string, Map<string, number>>();
  private readonly initiatives = new Map<string, InitiativeNode>();
  private readonly initiativesOfUnit = new Map<string, string[]>();
  private readonly own = new Map<string, Map<string, Figures>>();
  private readonly subtree = new Map<string, Map<string, Figures>>();
  private readonly membersCache = new Map<string, Map<LocalDate, number>>();
  /**
   * Rows to render at the next flush, by (programme, unit): the phase keys whose figures changed, or
   * ALL_PHASES when something common to every row did (members, quota defaults, the tree). An
   * initiative event changes one phase and the whole programme; rendering only those halves the work.
   */
  private readonly dirtyRows = new Map<string, Set<string> | typeof ALL_PHASES>();
  private readonly dirtyUnits = new Set<string>();
  private readonly dirtyInitiatives = new Set<string>();
  private readonly dirtyPrograms = new Set<string>();
  /** Descriptions of the initiatives changed since the last flush, and the paths they had meanwhile. */
  private readonly described = new Map<string, Partial<InitiativeDescription>>();
  private readonly everAdded = new Map<string, string[]>();
  private readonly recent = new Map<string, InitiativeDescription & { everUnitPath: string[] }>();

  private readonly recentDescriptions: number;
  private readonly initiativesInMemory: number;
  private readonly journal: JournalChanges | null;
  private readonly journalUnit: string | undefined;
  /** While an initiative event is applied with the journal kept: the figures it touched, as they were (see recordTouchedTotals). */
  private totalsTouched: Map<string, TouchedTotals> | null = null;

  constructor(
    private readonly fixedRules: ReadonlyMap<string, ProgramRules> = new Map(),
    limits: ProjectionLimits = {},
  ) {
    this.recentDescriptions = limits.recentDescriptions ?? RECENT_DESCRIPTIONS;
    this.initiativesInMemory = limits.initiativesInMemory ?? Infinity;
    this.journal = limits.journal ? { lines: [], events: [] } : null;
    this.journalUnit = typeof limits.journal === 'object' ? limits.journal.unitId : undefined;
  }

  /** The initiative whose node must be loaded (see `load`) before this event is applied, if any. */
  initiativeToLoad(event: ProjectedEvent): string | undefined {
    if (event.position <= this.position || !LATER_INITIATIVE_EVENTS.has(event.type)) return undefined;
    const id = event.data.initiativeId;
    return typeof id === 'string' && !this.initiatives.has(id) ? id : undefined;
  }

  /** Gives back a node let go earlier, as it stood just before the event about to be applied. */
  load(node: InitiativeNode): void {
    if (!this.initiatives.has(node.initiativeId)) this.initiatives.set(node.initiativeId, node);
  }

  apply(event: ProjectedEvent): void {
    if (event.position <= this.position) return;
    this.position = event.position;
    if (!isDomainEventType(event.type)) return;
    const e = domainEventCodec.decode(event);
    if (!this.journal) return this.applyDecoded(e, event.position);
    if (isInitiativeEvent(e)) {
      this.totalsTouched = new Map();
      this.applyDecoded(e, event.position);
      this.recordTouchedTotals(event as StoredEvent, this.totalsTouched);
      this.totalsTouched = null;
      return;
    }
    const watched = this.unitsWhoseTotalsMayChange(e).filter(([, unitId]) => this.journalUnit === undefined || unitId === this.journalUnit);
    const before = watched.map(([programId, unitId]) => this.totalsByPhase(programId, unitId));
    this.applyDecoded(e, event.position);
    this.recordJournal(event as StoredEvent, e, watched, before);
  }

  private applyDecoded(e: AnyDomainEvent, position: bigint): void {
    switch (e.type) {
      case 'ProgramLaunched':
      case 'PhaseAmended':
      case 'CountingRuleChanged':
      case 'EligibilityWindowChanged':
        return this.applyProgram(e);
      case 'QuotaAssigned':
        return this.applyQuota(e);
      case 'UnitRegistered':
      case 'MemberCountRecorded':
      case 'UnitMoved':
      case 'UnitMerged':
      case 'UnitClosed':
        return this.applyUnit(e);
      default:
        return this.applyInitiative(e, position);
    }
  }

  // ---- the history journal ----

  /** The (programme, unit) pairs whose counted number, quota or benefit an event may move: the chains it touches. */
  private unitsWhoseTotalsMayChange(e: AnyDomainEvent): [string, string][] {
    const chain = (unitId: string) => [unitId, ...this.ancestorsOf(unitId)];
    const inEveryProgram = (unitIds: string[]) => [...this.programs.keys()].flatMap((programId) => unitIds.map((unitId) => [programId, unitId] as [string, string]));
    switch (e.type) {
      case 'ProgramLaunched':
      case 'PhaseAmended':
      case 'CountingRuleChanged':
      case 'EligibilityWindowChanged':
        // A launch finds nothing counted yet; rule changes count nothing until a rebuild.
        return [];
      case 'QuotaAssigned':
        return [[e.data.programId, e.data.unitId]];
      case 'UnitRegistered':
        return inEveryProgram([e.data.unitId, ...(e.data.parentId === null ? [] : chain(e.data.parentId))]);
      case 'MemberCountRecorded':
      case 'UnitClosed':
        return inEveryProgram(chain(e.data.unitId));
      case 'UnitMoved':
        return inEveryProgram([...new Set([...chain(e.data.unitId), ...chain(e.data.toParentId)])]);
      case 'UnitMerged':
        return inEveryProgram([...new Set([...chain(e.data.unitId), ...chain(e.data.intoUnitId)])]);
      default: {
        const was = this.initiatives.get(e.data.initiativeId)?.unitId ?? e.data.unitId;
        return [...new Set([...chain(was), ...chain(e.data.unitId)])].map((unitId) => [e.data.programId, unitId]);
      }
    }
  }

  /** Per phase key: subtree counted, quota, subtree benefit, own counted, own benefit; undefined when the programme or unit is unknown. */
  private totalsByPhase(programId: string, unitId: string): Map<string, [number, number, bigint, number, bigint]> | undefined {
    const program = this.programs.get(programId);
    if (!program || !this.units.has(unitId)) return undefined;
    const k = key(programId, unitId);
    const totals = new Map<string, [number, number, bigint, number, bigint]>();
    for (const phaseKey of [...program.rules.phases.map((p) => p.id), WHOLE_PROGRAM_KEY]) {
      const all = this.subtree.get(k)?.get(phaseKey);
      const own = this.own.get(k)?.get(phaseKey);
      totals.set(phaseKey, [all?.counted ?? 0, this.quotaOf(k, unitId, program.rules, phaseKey), all?.benefitValue ?? 0n, own?.counted ?? 0, own?.benefitValue ?? 0n]);
    }
    return totals;
  }

  /**
   * An initiative event's lines. It moves no quota, and only the figures `contribute` touched, so
   * those — as they stood before it (`totalsTouched`) — are all that is compared: every phase of
   * every unit of both chains, before and after, was most of a rebuild's projection time.
   */
  private recordTouchedTotals(event: StoredEvent, touched: Map<string, TouchedTotals>): void {
    const lines: JournalLine[] = [];
    for (const [k, { programId, unitId, before }] of touched) {
      const program = this.programs.get(programId);
      if (!program || !this.units.has(unitId) || (this.journalUnit !== undefined && unitId !== this.journalUnit)) continue;
      for (const phaseId of [...program.rules.phases.map((p) => p.id), WHOLE_PROGRAM_KEY]) {
        const was = before.get(phaseId);
        if (!was) continue;
        const quota = this.quotaOf(k, unitId, program.rules, phaseId);
        const all = this.subtree.get(k)?.get(phaseId);
        const own = this.own.get(k)?.get(phaseId);
        const scope = (c: number, v: bigint, wasC: number, wasV: bigint) => {
          const change = changeBetween({ counted: wasC, quota, benefitValue: wasV }, { counted: c, quota, benefitValue: v }, false);
          return Object.keys(change).length === 0 ? null : { change, totals: { counted: c, quota, benefitValue: v.toString() } };
        };
        const subtree = scope(all?.counted ?? 0, all?.benefitValue ?? 0n, was[0], was[1]);
        const ownScope = scope(own?.counted ?? 0, own?.benefitValue ?? 0n, was[2], was[3]);
        if (subtree || ownScope) lines.push({ programId, unitId, phaseId, position: event.position, subtree, own: ownScope });
      }
    }
    this.keepJournalLines(event, lines);
  }

  /** Before `contribute` changes a unit's figures in a phase: what they were, once per event (see recordTouchedTotals). */
  private noteTotalsBefore(programId: string, chain: readonly string[], keys: readonly string[], phaseKey: string): void {
    const touched = this.totalsTouched!;
    keys.forEach((k, i) => {
      let unit = touched.get(k);
      if (!unit) touched.set(k, (unit = { programId, unitId: chain[i], before: new Map() }));
      if (unit.before.has(phaseKey)) return;
      const all = this.subtree.get(k)?.get(phaseKey);
      const own = this.own.get(k)?.get(phaseKey);
      unit.before.set(phaseKey, [all?.counted ?? 0, all?.benefitValue ?? 0n, own?.counted ?? 0, own?.benefitValue ?? 0n]);
    });
  }

  private recordJournal(event: StoredEvent, e: AnyDomainEvent, watched: [string, string][], before: ReturnType<ProgrammeProjection['totalsByPhase']>[]): void {
    const lines: JournalLine[] = [];
    watched.forEach(([programId, unitId], i) => {
      const after = this.totalsByPhase(programId, unitId);
      if (!after) return;
      for (const [phaseId, [counted, quota, benefit, ownCounted, ownBenefit]] of after) {
        const was = before[i]?.get(phaseId);
        const assigned = e.type === 'QuotaAssigned' && e.data.unitId === unitId && (e.data.phaseId ?? WHOLE_PROGRAM_KEY) === phaseId;
        // A unit seen for the first time starts from its quota, as a replay of its history does.
        const scope = (c: number, v: bigint, wasC: number | undefined, wasV: bigint | undefined) => {
          const change = changeBetween({ counted: wasC ?? 0, quota: was?.[1] ?? quota, benefitValue: wasV ?? 0n }, { counted: c, quota, benefitValue: v }, assigned);
          return Object.keys(change).length === 0 ? null : { change, totals: { counted: c, quota, benefitValue: v.toString() } };
        };
        const subtree = scope(counted, benefit, was?.[0], was?.[2]);
        const own = scope(ownCounted, ownBenefit, was?.[3], was?.[4]);
        if (subtree || own) lines.push({ programId, unitId, phaseId, position: event.position, subtree, own });
      }
    });
    this.keepJournalLines(event, lines);
  }

  private keepJournalLines(event: StoredEvent, lines: JournalLine[]): void {
    if (lines.length === 0) return;
    this.journal!.lines.push(...lines);
    this.journal!.events.push(journalEventOf(event));
  }

  /** The journal's lines since the last flush (or take), handed over once; undefined when the projection keeps none. */
  takeJournal(): JournalChanges | undefined {
    return this.journal ? { lines: this.journal.lines.splice(0), events: this.journal.events.splice(0) } : undefined;
  }

  /** After an erasure: the initiative's authors as they now read (an erased one as the placeholder), search text included. */
  replaceAuthors(initiativeId: string, authors: readonly string[]): void {
    // The search text is folded again at render, from the title the stored document or this batch holds.
    this.described.set(initiativeId, { ...this.described.get(initiativeId), authors: [...authors], searchText: undefined });
    this.dirtyInitiatives.add(initiativeId);
  }

  /** Every document of the read models, as of now (for a store that is being filled from scratch). */
  markEverythingDirty(): void {
    for (const programId of this.programs.keys()) {
      this.dirtyPrograms.add(programId);
      for (const unitId of this.units.keys()) this.markRows(key(programId, unitId));
    }
    for (const unitId of this.units.keys()) this.dirtyUnits.add(unitId);
    for (const ids of this.initiativesOfUnit.values()) for (const id of ids) this.dirtyInitiatives.add(id);
  }

  /** The progress rows of one unit as they stand (every phase and 'all'), without touching what is pending a flush. */
  rows(programId: string, unitId: string): ProgressRow[] {
    return this.rowsOf(key(programId, unitId));
  }

  /** The three figures an auditor follows, cheaply (no date ordering): subtree or own counted and benefit, and the quota. */
  totals(programId: string, unitId: string, phaseKey: string, subtree: boolean): { counted: number; quota: number; benefitValue: bigint } | undefined {
    const program = this.programs.get(programId);
    if (!program || !this.units.has(unitId)) return undefined;
    const k = key(programId, unitId);
    const figures = (subtree ? this.subtree : this.own).get(k)?.get(phaseKey);
    return { counted: figures?.counted ?? 0, quota: this.quotaOf(k, unitId, program.rules, phaseKey), benefitValue: figures?.benefitValue ?? 0n };
  }

  /** Whether anything applied since the last flush or discard changed this unit's rows. */
  touched(programId: string, unitId: string): boolean {
    return this.dirtyRows.has(key(programId, unitId));
  }

  /** Forgets what changed since the last flush (for replays that read figures, not documents). */
  discardChanges(): void {
    this.forgetDescriptions();
    this.everAdded.clear();
    this.takeJournal();
  }

  /** The initiatives the next flush renders without knowing their title and the rest: their stored documents are needed. */
  initiativesToLookUp(): string[] {
    // A node let go is rendered from the stored document too: it is clean, so that document is what the node was.
    return [...this.dirtyInitiatives].filter((id) => !this.initiatives.has(id) || (!submittedIn(this.described.get(id)) && !this.recent.has(id)));
  }

  exportState(): ProjectionStateData {
    if (this.hasChanges()) throw new Error('The projection state is saved between batches, not with changes pending');
    const byPhase = (map: Map<string, Map<string, Figures>>) => [...map].map(([k, m]) => [k, [...m]] as [string, [string, Figures][]]);
    return {
      position: this.position,
      programs: [...this.programs],
      units: [...this.units.values()],
      quotas: [...this.quotas].map(([k, m]) => [k, [...m]]),
      initiativesOfUnit: [...this.initiativesOfUnit],
      own: byPhase(this.own),
      subtree: byPhase(this.subtree),
    };
  }

  static fromState(state: ProjectionStateData, fixedRules: ReadonlyMap<string, ProgramRules> = new Map(), limits: ProjectionLimits = {}): ProgrammeProjection {
    const projection = new ProgrammeProjection(fixedRules, limits);
    projection.position = state.position;
    for (const [id, entry] of state.programs) projection.programs.set(id, entry);
    for (const unit of state.units) {
      projection.units.set(unit.unitId, unit);
      if (unit.parentId !== null) projection.childrenOf(unit.parentId).add(unit.unitId);
    }
    for (const [k, entries] of state.quotas) projection.quotas.set(k, new Map(entries));
    for (const [unitId, ids] of state.initiativesOfUnit) projection.initiativesOfUnit.set(unitId, ids);
    for (const [k, entries] of state.own) projection.own.set(k, new Map(entries));
    for (const [k, entries] of state.subtree) projection.subtree.set(k, new Map(entries));
    return projection;
  }

  /**
   * For replays that compare with stored documents in bounded memory: what the events said of
   * titles, authors and other descriptive text is let go (page by page), so that documents are
   * rendered over the stored ones' descriptive fields; the figures and paths (`everAdded`
   * included) stay the replay's own.
   */
  forgetDescriptions(): void {
    this.described.clear();
    this.dirtyRows.clear();
    this.dirtyUnits.clear();
    this.dirtyInitiatives.clear();
    this.dirtyPrograms.clear();
  }

  /** One document as the projection stands (undefined if it knows no such thing). */
  unitDocument(unitId: string): UnitDoc | undefined {
    return this.unitDoc(unitId);
  }

  /** An initiative's document rendered over the stored one's descriptive fields (undefined when its node is not in memory). */
  initiativeDocument(initiativeId: string, stored: InitiativeDoc): InitiativeDoc | undefined {
    if (!this.initiatives.has(initiativeId)) return undefined;
    const doc = this.initiativeDoc(initiativeId, new Map([[initiativeId, stored]]));
    this.trimRecent();
    return doc;
  }

  programDocument(programId: string): ProgramDoc | undefined {
    return this.programDoc(programId);
  }

  /** How many documents of each read model the projection stands for. */
  documentCounts(): { programs: number; units: number; initiatives: number; progress: number } {
    const rowsPerUnit = [...this.programs.values()].reduce((n, p) => n + p.rules.phases.length + 1, 0);
    let initiatives = 0;
    for (const ids of this.initiativesOfUnit.values()) initiatives += ids.length;
    return { programs: this.programs.size, units: this.units.size, initiatives, progress: rowsPerUnit * this.units.size };
  }

  /** Every unit id known. */
  unitIds(): string[] {
    return [...this.units.keys()];
  }

  hasChanges(): boolean {
    return this.dirtyRows.size + this.dirtyUnits.size + this.dirtyInitiatives.size + this.dirtyPrograms.size > 0;
  }

  /** `previous`: the stored documents of the initiatives `initiativesToLookUp()` named. */
  flush(previous: PreviousInitiatives = new Map()): ProjectionChanges {
    return this.take(previous, {
      progress: [...this.dirtyRows.keys()].sort().flatMap((k) => this.rowsOf(k, this.dirtyRows.get(k))),
      units: [...this.dirtyUnits].sort().flatMap((id) => this.unitDoc(id) ?? []),
    });
  }

  /**
   * During a bulk load: the initiatives and programmes changed since the last flush (their
   * descriptions must not pile up in memory), while the figures' documents — progress rows and
   * units, rewritten by almost every batch — are left for `flushFigures` once the log is read.
   */
  flushDescriptions(previous: PreviousInitiatives = new Map()): ProjectionChanges {
    return this.take(previous, { progress: [], units: [] });
  }

  /** The batch's documents (with the figures' ones given), then the batch forgotten and memory trimmed. */
  private take(previous: PreviousInitiatives, figures: Pick<ProjectionChanges, 'progress' | 'units'>): ProjectionChanges {
    const changes: ProjectionChanges = {
      ...figures,
      initiatives: [...this.dirtyInitiatives].sort().flatMap((id) => this.initiativeDoc(id, previous) ?? []),
      programs: [...this.dirtyPrograms].sort().flatMap((id) => this.programDoc(id) ?? []),
      journal: this.takeJournal(),
    };
    this.discardChanges();
    this.trimRecent();
    this.trimInitiatives();
    return changes;
  }

  /** Oldest first; only between flushes, since a flush relies on what was recent when its look-ups were decided. */
  private trimRecent(): void {
    for (const id of this.recent.keys()) {
      if (this.recent.size <= this.recentDescriptions) return;
      this.recent.delete(id);
    }
  }

  /** Least recently changed first; only after a flush, when no node is waiting to be rendered. */
  private trimInitiatives(): void {
    for (const id of this.initiativesBeyond(this.initiativesInMemory)) this.initiatives.delete(id);
  }

  /** The initiatives whose nodes are in memory beyond `bound` (default: the projection's), least recently changed first. */
  initiativesBeyond(bound = this.initiativesInMemory): string[] {
    const ids: string[] = [];
    for (const id of this.initiatives.keys()) {
      if (this.initiatives.size - ids.length <= bound) break;
      ids.push(id);
    }
    return ids;
  }

  /** For a replay that compares each initiative when it lets it go: the node and the paths noted for it are forgotten. */
  letGo(initiativeId: string): void {
    this.initiatives.delete(initiativeId);
    this.everAdded.delete(initiativeId);
  }

  /** Initiatives changed since the last flush or forget without their node in memory (a move of their unit re-renders them). */
  changedWithoutNode(): string[] {
    return [...this.dirtyInitiatives].filter((id) => !this.initiatives.has(id));
  }

  /** Whether the log has the initiative, looked for first among the initiatives of `unitId`. */
  knowsInitiative(initiativeId: string, unitId: string): boolean {
    if (this.initiativesOfUnit.get(unitId)?.includes(initiativeId)) return true;
    for (const ids of this.initiativesOfUnit.values()) if (ids.includes(initiativeId)) return true;
    return false;
  }

  /**
   * The end of a bulk load: every progress row and unit document, each rendered once, in chunks of
   * at most `chunk` documents so that memory holds one chunk, not the programme.
   */
  *flushFigures(chunk: number): Generator<ProjectionChanges> {
    const rowKeys = [...this.programs.keys()].flatMap((programId) => [...this.units.keys()].map((unitId) => key(programId, unitId))).sort();
    const unitIds = [...this.units.keys()].sort();
    const rowsPerKey = Math.max(1, ...[...this.programs.values()].map((p) => p.rules.phases.length + 1));
    const keysPerChunk = Math.max(1, Math.floor(chunk / rowsPerKey));
    for (let i = 0; i < rowKeys.length; i += keysPerChunk) {
      yield { progress: rowKeys.slice(i, i + keysPerChunk).flatMap((k) => this.rowsOf(k)), units: [], initiatives: [], programs: [] };
    }
    for (let i = 0; i < unitIds.length; i += chunk) {
      yield { progress: [], units: unitIds.slice(i, i + chunk).flatMap((id) => this.unitDoc(id) ?? []), initiatives: [], programs: [] };
    }
  }

  // ---- programmes and quotas ----

  private applyProgram(e: ProgramEvent): void {
    const programId = e.data.programId;
    this.dirtyPrograms.add(programId);
    if (e.type === 'ProgramLaunched') {
      const { name, phases, eligibility, targetPercent, countingRule } = e.data;
      const rules = this.fixedRules.get(programId) ?? { programId, name, phases, eligibility, targetPercent, countingRule, rulesVersion: 1 };
      this.programs.set(programId, { rules, latestRulesVersion: 1 });
      for (const unitId of this.units.keys()) this.markRows(key(programId, unitId));
      return;
    }
    const entry = this.programs.get(programId);
    if (entry) entry.latestRulesVersion += 1;
  }

  private applyQuota(e: QuotaEvent): void {
    const { programId, unitId, phaseId, quota } = e.data;
    const k = key(programId, unitId);
    let byPhase = this.quotas.get(k);
    if (!byPhase) this.quotas.set(k, (byPhase = new Map()));
    byPhase.set(phaseId ?? WHOLE_PROGRAM_KEY, quota);
    this.markRows(k, [phaseId ?? WHOLE_PROGRAM_KEY]);
    this.dirtyUnits.add(unitId);
  }

  // ---- units ----

  private applyUnit(e: UnitEvent): void {
    const unitId = e.data.unitId;
    if (e.type === 'UnitRegistered') {
      const { name, kind, parentId, memberCount, effectiveOn } = e.data;
      const node: UnitNode = { unitId, name, kind, parentId, status: 'active', mergedInto: null, memberCounts: [{ effectiveOn, count: memberCount }], endedOn: null, everPath: [] };
      this.units.set(unitId, node);
      node.everPath = this.pathOf(unitId);
      if (parentId !== null) this.childrenOf(parentId).add(unitId);
      this.membersChanged(unitId);
      this.dirtyUnits.add(unitId);
      return;
    }
    const unit = this.units.get(unitId);
    if (!unit) return;
    switch (e.type) {
      case 'MemberCountRecorded':
        unit.memberCounts.push({ effectiveOn: e.data.effectiveOn, count: e.data.memberCount });
        this.membersChanged(unitId);
        break;
      case 'UnitMoved':
        this.reparent(unit, e.data.toParentId);
        break;
      case 'UnitMerged':
        unit.status = 'merged';
        unit.mergedInto = e.data.intoUnitId;
        unit.endedOn = e.data.effectiveOn;
        this.reparent(unit, e.data.intoUnitId);
        this.membersChanged(unitId);
        break;
      case 'UnitClosed':
        unit.status = 'closed';
        unit.endedOn = e.data.effectiveOn;
        this.membersChanged(unitId);
        break;
    }
    this.dirtyUnits.add(unitId);
  }

  /** Moves a unit's whole subtree: its figures leave the old ancestors' rollups and join the new ones'. */
  private reparent(unit: UnitNode, toParentId: string): void {
    const oldChain = this.ancestorsOf(unit.unitId);
    for (const programId of this.programs.keys()) {
      const figures = this.subtree.get(key(programId, unit.unitId));
      if (!figures) continue;
      for (const [phaseKey, f] of figures) for (const ancestor of oldChain) addFigures(this.figures(this.subtree, programId, ancestor, phaseKey), f, -1);
    }
    this.invalidateMembers(unit.unitId);
    this.markChainDirty(oldChain);
    if (unit.parentId !== null) this.children.get(unit.parentId)?.delete(unit.unitId);
    unit.parentId = toParentId;
    this.childrenOf(toParentId).add(unit.unitId);
    const newChain = this.ancestorsOf(unit.unitId);
    for (const programId of this.programs.keys()) {
      const figures = this.subtree.get(key(programId, unit.unitId));
      if (!figures) continue;
      for (const [phaseKey, f] of figures) for (const ancestor of newChain) addFigures(this.figures(this.subtree, programId, ancestor, phaseKey), f, 1);
    }
    this.invalidateMembers(unit.unitId);
    this.markChainDirty(newChain);
    // Paths change for everything below: the subtree's rows, unit documents and initiatives, which
    // from now on also belong to the histories of their new ancestors.
    for (const id of this.subtreeIds(unit.unitId)) {
      const path = this.pathOf(id);
      const node = this.units.get(id);
      if (node) node.everPath = union(node.everPath, path);
      this.dirtyUnits.add(id);
      for (const programId of this.programs.keys()) this.markRows(key(programId, id));
      for (const initiativeId of this.initiativesOfUnit.get(id) ?? []) {
        this.addEver(initiativeId, path);
        this.dirtyInitiatives.add(initiativeId);
      }
    }
  }

  private membersChanged(unitId: string): void {
    this.invalidateMembers(unitId);
    this.markChainDirty([unitId, ...this.ancestorsOf(unitId)]);
  }

  private invalidateMembers(unitId: string): void {
    this.membersCache.delete(unitId);
    for (const ancestor of this.ancestorsOf(unitId)) this.membersCache.delete(ancestor);
  }

  private markChainDirty(unitIds: readonly string[]): void {
    for (const programId of this.programs.keys()) for (const unitId of unitIds) this.markRows(key(programId, unitId));
  }

  // ---- initiatives ----

  private applyInitiative(e: InitiativeEvent, position: bigint): void {
    const id = e.data.initiativeId;
    const before = this.initiatives.get(id);
    const program = this.programs.get(e.data.programId);
    const old = before && program ? contributionOf(before, program.rules) : null;
    const oldUnit = before?.unitId;
    const after = evolveNode(before, e);
    if (!after) return;
    this.described.set(id, describe(this.described.get(id) ?? {}, e, position));
    if (oldUnit !== after.unitId) this.addEver(id, this.pathOf(after.unitId));
    // Re-inserted, so that the map's order is the order of last change (see trimInitiatives).
    this.initiatives.delete(id);
    this.initiatives.set(id, after);
    if (program) {
      if (old && oldUnit) this.contribute(after.programId, oldUnit, old, -1);
      const next = contributionOf(after, program.rules);
      if (next) this.contribute(after.programId, after.unitId, next, 1);
    }
    if (oldUnit !== after.unitId) {
      const left = oldUnit === undefined ? undefined : this.initiativesOfUnit.get(oldUnit);
      if (left) left.splice(left.indexOf(id), 1);
      let ids = this.initiativesOfUnit.get(after.unitId);
      if (!ids) this.initiativesOfUnit.set(after.unitId, (ids = []));
      ids.push(id);
    }
    this.dirtyInitiatives.add(id);
  }

  private addEver(initiativeId: string, path: readonly string[]): void {
    this.everAdded.set(initiativeId, union(this.everAdded.get(initiativeId) ?? [], path));
  }

  private contribute(programId: string, unitId: string, c: Contribution, sign: 1 | -1): void {
    // The chain's keys once: building and hashing them per phase and per map was a visible share of a rebuild.
    const units = [unitId, ...this.ancestorsOf(unitId)];
    const chain = units.map((id) => key(programId, id));
    for (const phaseKey of c.keys) {
      if (this.totalsTouched) this.noteTotalsBefore(programId, units, chain, phaseKey);
      addContribution(figuresAt(this.own, chain[0], phaseKey), c, sign);
      for (const k of chain) addContribution(figuresAt(this.subtree, k, phaseKey), c, sign);
    }
    for (const k of chain) this.markRows(k, c.keys);
  }

  /** Marks some phases of a unit's rows for rendering, or all of them when no phases are named. */
  private markRows(k: string, phaseKeys?: readonly string[]): void {
    const marked = this.dirtyRows.get(k);
    if (marked === ALL_PHASES) return;
    if (!phaseKeys) {
      this.dirtyRows.set(k, ALL_PHASES);
      return;
    }
    if (marked) for (const phaseKey of phaseKeys) marked.add(phaseKey);
    else this.dirtyRows.set(k, new Set(phaseKeys));
  }

  // ---- documents ----

  private rowsOf(k: string, only: Set<string> | typeof ALL_PHASES = ALL_PHASES): ProgressRow[] {
    const [programId, unitId] = k.split('\u0000');
    const program = this.programs.get(programId);
    const unit = this.units.get(unitId);
    if (!program || !unit) return [];
    const rules = program.rules;
    const periods = [...rules.phases.map((p) => ({ phaseKey: p.id, to: p.to })), { phaseKey: WHOLE_PROGRAM_KEY, to: programSpan(rules).to }].filter(
      (p) => only === ALL_PHASES || only.has(p.phaseKey),
    );
    const path = this.pathOf(unitId);
    return periods.map(({ phaseKey, to }) => {
      const assigned = this.quotas.get(k)?.get(phaseKey);
      const quota = this.quotaOf(k, unitId, rules, phaseKey);
      const all = this.subtree.get(k)?.get(phaseKey) ?? emptyFigures();
      const own = this.own.get(k)?.get(phaseKey) ?? emptyFigures();
      const reached = reachedQuotaOn(all.countedByDate, quota);
      return {
        programId,
        unitId,
        phaseId: phaseKey,
        quota,
        quotaSource: assigned === undefined ? 'default' : 'assigned',
        submitted: all.submitted,
        approved: all.approved,
        pending: all.pending,
        rejected: all.rejected,
        withdrawn: all.withdrawn,
        counted: all.counted,
        attainmentPercent: attainmentPercent(all.counted, quota),
        excess: all.counted - quota,
        benefitValue: all.benefitValue.toString(),
        reachedQuotaOn: reached,
        finishedEarly: reached !== null && reached < to,
        own: { submitted: own.submitted, approved: own.approved, counted: own.counted, benefitValue: own.benefitValue.toString() },
        unitName: unit.name,
        kind: unit.kind,
        parentId: unit.parentId,
        path,
        rulesVersion: rules.rulesVersion,
      };
    });
  }

  /** The explicit assignment in force, else ceil(subtree members at the period's start × target %). */
  private quotaOf(k: string, unitId: string, rules: ProgramRules, phaseKey: string): number {
    const assigned = this.quotas.get(k)?.get(phaseKey);
    if (assigned !== undefined) return assigned;
    const phase = rules.phases.find((p) => p.id === phaseKey);
    const from = phase ? phase.from : programSpan(rules).from;
    return defaultQuota(this.subtreeMembers(unitId, from), phase ? phase.targetPercent : rules.targetPercent);
  }

  private unitDoc(unitId: string): UnitDoc | undefined {
    const unit = this.units.get(unitId);
    if (!unit) return undefined;
    const quotas: Record<string, Record<string, number>> = {};
    for (const programId of [...this.programs.keys()].sort()) {
      const byPhase = this.quotas.get(key(programId, unitId));
      if (byPhase) quotas[programId] = Object.fromEntries([...byPhase].sort(([a], [b]) => a.localeCompare(b)));
    }
    const latest = unit.memberCounts.reduce((best, c) => (c.effectiveOn >= best.effectiveOn ? c : best), unit.memberCounts[0]);
    return {
      unitId,
      name: unit.name,
      kind: unit.kind,
      parentId: unit.parentId,
      path: this.pathOf(unitId),
      everPath: [...unit.everPath].sort(),
      status: unit.status,
      mergedInto: unit.mergedInto,
      memberCount: unit.endedOn ? 0 : latest.count,
      memberCounts: unit.memberCounts.map((c) => ({ effectiveOn: c.effectiveOn, count: c.count })),
      quotas,
    };
  }

  private initiativeDoc(id: string, previous: PreviousInitiatives): InitiativeDoc | undefined {
    const node = this.initiatives.get(id) ?? nodeOfDocument(previous.get(id));
    if (!node) return undefined;
    const pending = this.described.get(id) ?? {};
    const stored = this.recent.get(id) ?? (previous.has(id) ? descriptionOf(previous.get(id)!) : undefined);
    if (!submittedIn(pending) && !stored) throw new Error(`Initiative ${id} changed without its submission in this batch: its stored document is needed`);
    const base: Partial<InitiativeDescription> & { everUnitPath?: string[] } = submittedIn(pending) ? {} : stored!;
    const d = { ...base, ...pending } as InitiativeDescription;
    const searchText = d.searchText ?? searchTextOf(d.title, d.authors);
    const program = this.programs.get(node.programId);
    const c = program ? contributionOf(node, program.rules) : null;
    const unitPath = this.pathOf(node.unitId);
    const everUnitPath = union(union(base.everUnitPath ?? [], this.everAdded.get(id) ?? []), unitPath).slice().sort();
    this.recent.delete(id);
    this.recent.set(id, { ...d, searchText, everUnitPath });
    return {
      initiativeId: node.initiativeId,
      programId: node.programId,
      unitId: node.unitId,
      unitPath,
      everUnitPath,
      status: node.status,
      title: d.title,
      searchText,
      authors: d.authors,
      category: d.category as InitiativeDoc['category'],
      appliedOn: node.appliedOn,
      submittedAt: d.submittedAt,
      submittedOn: node.submittedOn,
      approvedAt: d.approvedAt,
      approvedOn: node.approvedOn,
      benefitValue: node.benefitValue.toString(),
      recognisedValue: node.recognisedValue === null ? null : node.recognisedValue.toString(),
      decisionRef: d.decisionRef,
      reason: d.reason,
      phaseId: c?.phaseId ?? null,
      counted: c?.counted ?? false,
      eligible: c !== null,
      position: d.position.toString(),
    };
  }

  private programDoc(programId: string): ProgramDoc | undefined {
    const entry = this.programs.get(programId);
    if (!entry) return undefined;
    const { rules } = entry;
    return {
      programId,
      name: rules.name,
      phases: rules.phases,
      eligibility: rules.eligibility,
      targetPercent: rules.targetPercent,
      countingRule: rules.countingRule,
      rulesVersion: rules.rulesVersion,
      latestRulesVersion: Math.max(entry.latestRulesVersion, rules.rulesVersion),
    };
  }

  // ---- tree helpers ----

  private figures(map: Map<string, Map<string, Figures>>, programId: string, unitId: string, phaseKey: string): Figures {
    return figuresAt(map, key(programId, unitId), phaseKey);
  }

  private childrenOf(unitId: string): Set<string> {
    let set = this.children.get(unitId);
    if (!set) this.children.set(unitId, (set = new Set()));
    return set;
  }

  /** Nearest first. The decider refuses cycles and the tree's guard stream serialises moves; the bound only protects against a corrupted log. */
  private ancestorsOf(unitId: string): string[] {
    const chain: string[] = [];
    let parentId = this.units.get(unitId)?.parentId ?? null;
    while (parentId !== null && !chain.includes(parentId) && parentId !== unitId) {
      chain.push(parentId);
      parentId = this.units.get(parentId)?.parentId ?? null;
    }
    return chain;
  }

  /** Ancestors from the root down to the unit itself. */
  private pathOf(unitId: string): string[] {
    return [...this.ancestorsOf(unitId).reverse(), unitId];
  }

  private subtreeIds(unitId: string): Set<string> {
    const ids = new Set<string>();
    const stack = [unitId];
    while (stack.length) {
      const id = stack.pop()!;
      if (ids.has(id)) continue;
      ids.add(id);
      stack.push(...(this.children.get(id) ?? []));
    }
    return ids;
  }

  /** Members in force on a date over a unit's subtree; a merged or closed unit counts none from its end date. */
  private subtreeMembers(unitId: string, date: LocalDate): number {
    let cached = this.membersCache.get(unitId);
    if (!cached) this.membersCache.set(unitId, (cached = new Map()));
    const hit = cached.get(date);
    if (hit !== undefined) return hit;
    const unit = this.units.get(unitId);
    let total = unit && !(unit.endedOn && unit.endedOn <= date) ? membersOn(unit.memberCounts, date) : 0;
    for (const child of this.children.get(unitId) ?? []) total += this.subtreeMembers(child, date);
    cached.set(date, total);
    return total;
  }
}

function figuresAt(map: Map<string, Map<string, Figures>>, k: string, phaseKey: string): Figures {
  let byPhase = map.get(k);
  if (!byPhase) map.set(k, (byPhase = new Map()));
  let figures = byPhase.get(phaseKey);
  if (!figures) byPhase.set(phaseKey, (figures = emptyFigures()));
  return figures;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return b.every((x) => a.includes(x)) ? (a as string[]) : [...new Set([...a, ...b])];
}

function searchTextOf(title: string, authors: readonly string[]): string {
  return foldDiacritics(`${title} ${authors.join(' ')}`);
}

/** What an event changes of an initiative's description (held until the batch is written). */
function describe(d: Partial<InitiativeDescription>, e: InitiativeEvent, position: bigint): Partial<InitiativeDescription> {
  switch (e.type) {
    case 'InitiativeSubmitted': {
      const { title, category, submittedAt } = e.data;
      const authors = e.data.authors.map(authorName);
      return { title, authors, searchText: searchTextOf(title, authors), category, submittedAt, approvedAt: null, decisionRef: null, reason: null, position };
    }
    case 'InitiativeApproved':
      return { ...d, approvedAt: e.data.approvedAt, decisionRef: e.data.decisionRef, position };
    case 'InitiativeRejected':
    case 'InitiativeWithdrawn':
    case 'InitiativeApprovalRevoked':
      return { ...d, reason: e.data.reason, position };
    case 'InitiativeCorrected': {
      const { title, category } = e.data.changes;
      const authors = e.data.changes.authors?.map(authorName);
      // A new title or new authors: the search text is folded again at render, from the whole description.
      const refold = title !== undefined || authors !== undefined ? { searchText: undefined } : {};
      return { ...d, ...(title !== undefined ? { title } : {}), ...(authors !== undefined ? { authors } : {}), ...(category !== undefined ? { category } : {}), ...refold, position };
    }
    case 'InitiativeMoved':
      return { ...d, position };
  }
}

/** Whether the batch saw the initiative's submission, hence knows its whole description. */
function submittedIn(d: Partial<InitiativeDescription> | undefined): boolean {
  return d !== undefined && 'submittedAt' in d;
}

function descriptionOf(doc: InitiativeDoc): InitiativeDescription & { everUnitPath: string[] } {
  const { title, authors, searchText, category, submittedAt, approvedAt, decisionRef, reason, everUnitPath } = doc;
  return { title, authors, searchText, category, submittedAt, approvedAt, decisionRef, reason, position: BigInt(doc.position), everUnitPath };
}

function isInitiativeEvent(e: AnyDomainEvent): e is InitiativeEvent {
  return e.type.startsWith('Initiative');
}

const LATER_INITIATIVE_EVENTS: ReadonlySet<string> = new Set<InitiativeEvent['type']>([
  'InitiativeApproved',
  'InitiativeRejected',
  'InitiativeWithdrawn',
  'InitiativeApprovalRevoked',
  'InitiativeCorrected',
  'InitiativeMoved',
]);

function nodeOfDocument(doc: InitiativeDoc | undefined): InitiativeNode | undefined {
  if (!doc) return undefined;
  const { initiativeId, programId, unitId, status, appliedOn, submittedOn, approvedOn, benefitValue, recognisedValue } = doc;
  return {
    initiativeId,
    programId,
    unitId,
    status,
    // The document holds the dates the node held, as written.
    appliedOn: appliedOn as LocalDate,
    submittedOn: submittedOn as LocalDate,
    approvedOn: approvedOn as LocalDate | null,
    benefitValue: BigInt(benefitValue),
    recognisedValue: recognisedValue === null ? null : BigInt(recognisedValue),
  };
}
