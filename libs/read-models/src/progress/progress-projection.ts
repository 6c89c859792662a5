import { AnyDomainEvent, Contribution, contributionOf, defaultQuota, DomainEventType, INITIATIVE_EVENT_TYPES, InitiativeEvent, LocalDate, membersOn, ProgramRules, programSpan, UNIT_EVENT_TYPES, WHOLE_PROGRAM_KEY } from '@app/domain';
import { StoredEvent } from '@app/event-store';
import { changeBetween, JournalChanges, journalEventOf, JournalLine } from '../audit/history-journal';
import { InitiativeNode } from '../projection/initiative-node';
import { chunksOf } from '../projection/chunks-of';
import { ProgrammeState, StateChange, stateKey as key } from '../projection/programme-state';
import { ProjectedEvent, ReadModelProjection } from '../projection/read-model-projection';
import { FigureTable } from './figure-table';
import { attainmentPercent, FigureCounters, Figures, NO_COUNTERS } from './figures';
import { ProgressRow } from './progress-row';

/** Every event that can move a figure: rule changes count nothing until a rebuild. */
const PROGRESS_EVENTS: ReadonlySet<DomainEventType> = new Set<DomainEventType>(['ProgramLaunched', 'QuotaAssigned', ...UNIT_EVENT_TYPES, ...INITIATIVE_EVENT_TYPES]);

const ALL_PHASES = 'every phase';

/** The events that can change a unit's own members (a registration brings its first count; an end takes them away). */
const MEMBER_EVENTS: ReadonlySet<DomainEventType> = new Set<DomainEventType>(['UnitRegistered', 'MemberCountRecorded', 'UnitClosed', 'UnitMerged']);

/** A unit's figures in the phases an event touched, as they were before it: subtree counted and benefit, own counted and benefit. */
interface TouchedTotals {
  programId: string;
  unitId: string;
  before: Map<string, [number, bigint, number, bigint]>;
}

type PhaseTotals = Map<string, [number, number, bigint, number, bigint]>;

export interface ProgressStateData {
  own: [string, [string, Figures][]][];
  subtree: [string, [string, Figures][]][];
}

export interface ProgressJournal {
  /** Keep the history journal (see history-journal.ts); `{ unitId }` keeps one unit's lines only (a unit's verification). Needs stored events. */
  journal?: boolean | { unitId: string };
}

/**
 * The progress rows: per programme, unit and phase (and the whole programme), the figures of the
 * unit's own initiatives and rolled up over its subtree. Applying an event updates them
 * incrementally: an initiative's old contribution out and its new one in, along its unit's chain of
 * ancestors; a move takes a subtree's figures from the old ancestors to the new. Rollups follow the
 * current tree: a moved unit's whole history counts at its new place from the moment it is recorded.
 *
 * With the journal kept, each event that moved a unit's totals leaves the lines an auditor follows.
 */
export class ProgressProjection implements ReadModelProjection<ProgressRow> {
  readonly handles = PROGRESS_EVENTS;
  private readonly own = new FigureTable();
  private readonly subtree = new FigureTable();
  /** Each programme's phase keys in the order of their slots in a row of figures (see phaseIndex). */
  private readonly phaseIndexes = new Map<string, Map<string, number>>();
  private readonly membersCache = new Map<string, Map<LocalDate, number>>();
  /** Every date the members cache has been asked about: a phase's start, the programme's. */
  private readonly membersDates = new Set<LocalDate>();
  /** While an event that may change a unit's own members is applied: them, as they were, at each of those dates (see membersChanged). */
  private membersBefore: { unitId: string; own: Map<LocalDate, number> } | null = null;
  /** Each unit's chain, by state key (see chainOf). */
  private readonly chains = new Map<string, Chain>();
  /**
   * Rows to render at the next flush, by (programme, unit): the phase keys whose figures changed, or
   * ALL_PHASES when something common to every row did (members, quota defaults, the tree). An
   * initiative event changes one phase and the whole programme; rendering only those halves the work.
   */
  private readonly dirtyRows = new Map<string, Set<string> | typeof ALL_PHASES>();
  private readonly journal: JournalChanges | null;
  private readonly journalUnit: string | undefined;
  /** While an initiative event is applied with the journal kept: the figures it touched, as they were (see recordTouchedTotals). */
  private totalsTouched: Map<string, TouchedTotals> | null = null;
  /** While another event is applied with the journal kept: the units it may move, and their totals before it. */
  private watched: { units: [string, string][]; before: (PhaseTotals | undefined)[] } | null = null;

  constructor(
    private readonly state: ProgrammeState,
    options: ProgressJournal = {},
    saved?: ProgressStateData,
  ) {
    this.journal = options.journal ? { lines: [], events: [] } : null;
    this.journalUnit = typeof options.journal === 'object' ? options.journal.unitId : undefined;
    if (saved) {
      this.restoreFigures('own', saved.own);
      this.restoreFigures('subtree', saved.subtree);
    }
  }

  /** Figures of a saved state (see ProgressStateData), given in as many parts as the restore likes. */
  restoreFigures(scope: keyof ProgressStateData, entries: ProgressStateData[typeof scope]): void {
    const table = scope === 'own' ? this.own : this.subtree;
    for (const [k, byPhase] of entries) for (const [phaseKey, figures] of byPhase) table.setFigures(this.slotIn(table, k, phaseKey), figures);
  }

  prepare(e: AnyDomainEvent): void {
    if (this.journal) this.prepareJournal(e);
    // Last: the journal's totals may have asked the members cache about a date for the first time.
    if (MEMBER_EVENTS.has(e.type)) {
      const unitId = (e.data as { unitId: string }).unitId;
      this.membersBefore = { unitId, own: new Map([...this.membersDates].map((date) => [date, this.ownMembers(unitId, date)])) };
    }
  }

  private prepareJournal(e: AnyDomainEvent): void {
    if (isInitiativeEvent(e)) {
      this.totalsTouched = new Map();
      return;
    }
    const units = this.unitsWhoseTotalsMayChange(e).filter(([, unitId]) => this.journalUnit === undefined || unitId === this.journalUnit);
    this.watched = { units, before: units.map(([programId, unitId]) => this.totalsByPhase(programId, unitId)) };
  }

  /** After the event, with or without a change of state: the journal's lines of what it moved. */
  settle(e: AnyDomainEvent, event: ProjectedEvent): void {
    if (this.totalsTouched) this.recordTouchedTotals(event as StoredEvent, this.totalsTouched);
    else if (this.watched) this.recordJournal(event as StoredEvent, e, this.watched.units, this.watched.before);
    this.totalsTouched = null;
    this.watched = null;
    this.membersBefore = null;
  }

  apply(_e: AnyDomainEvent, change: StateChange): void {
    switch (change.kind) {
      case 'program':
        if (change.launched) for (const unitId of this.state.unitIds()) this.markRows(key(change.programId, unitId));
        return;
      case 'quota':
        return this.markRows(key(change.programId, change.unitId), [change.phaseKey]);
      case 'unit':
        if (change.moved) this.reparented(change.unitId, change.moved.oldAncestors);
        if (change.membersChanged) this.membersChanged(change.unitId);
        return;
      case 'initiative':
        return this.initiativeChanged(change.before, change.after);
    }
  }

  hasChanges(): boolean {
    return this.dirtyRows.size > 0;
  }

  flush(): ProgressRow[] {
    const rows = [...this.dirtyRows.keys()].sort().flatMap((k) => this.rowsOf(k, this.dirtyRows.get(k)));
    this.dirtyRows.clear();
    return rows;
  }

  discard(): void {
    this.dirtyRows.clear();
  }

  markEverythingDirty(): void {
    for (const programId of this.state.programIds()) for (const unitId of this.state.unitIds()) this.markRows(key(programId, unitId));
  }

  /** Every progress row, sorted, about `chunk` rows at a time (the end of a bulk load). */
  *everyRow(chunk: number): Generator<ProgressRow[]> {
    const rowKeys = [...this.state.programIds()].flatMap((programId) => [...this.state.unitIds()].map((unitId) => key(programId, unitId))).sort();
    const rowsPerKey = Math.max(1, ...[...this.state.programEntries()].map((p) => p.rules.phases.length + 1));
    const keysPerChunk = Math.max(1, Math.floor(chunk / rowsPerKey));
    for (let i = 0; i < rowKeys.length; i += keysPerChunk) yield rowKeys.slice(i, i + keysPerChunk).flatMap((k) => this.rowsOf(k));
  }

  /** The journal's lines since the last take, handed over once; undefined when none is kept. */
  takeJournal(): JournalChanges | undefined {
    return this.journal ? { lines: this.journal.lines.splice(0), events: this.journal.events.splice(0) } : undefined;
  }

  /** The progress rows of one unit as they stand (every phase and the whole programme), without touching what is pending a flush. */
  rows(programId: string, unitId: string): ProgressRow[] {
    return this.rowsOf(key(programId, unitId));
  }

  /** The three figures an auditor follows, cheaply (no date ordering): subtree or own counted and benefit, and the quota. */
  totals(programId: string, unitId: string, phaseKey: string, subtree: boolean): { counted: number; quota: number; benefitValue: bigint } | undefined {
    const program = this.state.program(programId);
    if (!program || !this.state.hasUnit(unitId)) return undefined;
    const k = key(programId, unitId);
    const table = subtree ? this.subtree : this.own;
    const slot = this.slotAt(table, k, phaseKey);
    return { counted: slot === undefined ? 0 : table.countedAt(slot), quota: this.quotaOf(k, unitId, program.rules, phaseKey), benefitValue: slot === undefined ? 0n : table.benefitAt(slot) };
  }

  /** Whether anything applied since the last flush or discard changed this unit's rows. */
  touched(programId: string, unitId: string): boolean {
    return this.dirtyRows.has(key(programId, unitId));
  }

  /** One scope's figures, `n` keys at a time: a national programme's at once were a million objects (see projection-state.ts). */
  *figuresInParts(scope: keyof ProgressStateData, n: number): Generator<ProgressStateData[typeof scope]> {
    const table = scope === 'own' ? this.own : this.subtree;
    for (const keys of chunksOf(table.keys(), n)) {
      yield keys.map((k) => {
        const first = table.rowOf(k)!;
        const entries: [string, Figures][] = [];
        for (const [phaseKey, i] of this.phaseIndex(programOf(k))) {
          const figures = table.figuresAt(first + i);
          if (figures) entries.push([phaseKey, figures]);
        }
        return [k, entries];
      });
    }
  }

  /**
   * Where each phase's figures sit in a row (the programme's phases in order, then the whole
   * programme). A programme's phases are those of the rules the projection runs under, which later
   * rule changes do not touch (see ProgrammeState), so a row's width never changes.
   */
  private phaseIndex(programId: string): Map<string, number> {
    let index = this.phaseIndexes.get(programId);
    if (!index) {
      const program = this.state.program(programId);
      if (!program) throw new Error(`figures of programme ${programId}, which the projection does not know`);
      index = new Map([...program.rules.phases.map((p) => p.id), WHOLE_PROGRAM_KEY].map((phaseKey, i) => [phaseKey, i]));
      this.phaseIndexes.set(programId, index);
    }
    return index;
  }

  /** The slot of a key's figures in a phase, its row made if it has none. */
  private slotIn(table: FigureTable, k: string, phaseKey: string): number {
    const index = this.phaseIndex(programOf(k));
    const i = index.get(phaseKey);
    if (i === undefined) throw new Error(`figures of phase ${phaseKey}, which programme ${programOf(k)} does not have`);
    return table.row(k, index.size) + i;
  }

  /** The slot of a key's figures in a phase; undefined while the key has none. */
  private slotAt(table: FigureTable, k: string, phaseKey: string): number | undefined {
    const first = table.rowOf(k);
    if (first === undefined) return undefined;
    const i = this.phaseIndex(programOf(k)).get(phaseKey);
    return i === undefined ? undefined : first + i;
  }

  private countersOf(table: FigureTable, k: string, phaseKey: string): FigureCounters {
    const slot = this.slotAt(table, k, phaseKey);
    return slot === undefined ? NO_COUNTERS : table.countersAt(slot);
  }

  // ---- figures ----

  private initiativeChanged(before: InitiativeNode | undefined, after: InitiativeNode): void {
    const program = this.state.program(after.programId);
    if (!program) return;
    const old = before ? contributionOf(before, program.rules) : null;
    if (old && before) this.contribute(after.programId, before.unitId, old, -1);
    const next = contributionOf(after, program.rules);
    if (next) this.contribute(after.programId, after.unitId, next, 1);
  }

  private contribute(programId: string, unitId: string, c: Contribution, sign: 1 | -1): void {
    const chain = this.chainOf(programId, unitId);
    const index = this.phaseIndex(programId);
    for (const phaseKey of c.keys) {
      if (this.totalsTouched) this.noteTotalsBefore(programId, chain.units, chain.keys, phaseKey);
      const i = index.get(phaseKey)!;
      this.own.addContribution(chain.own + i, c, sign);
      for (const first of chain.subtree) this.subtree.addContribution(first + i, c, sign);
    }
    for (const k of chain.keys) this.markRows(k, c.keys);
  }

  /**
   * A unit's chain (itself, then its ancestors) with its keys and figures, built once rather than
   * per event: building and hashing the keys, and finding the figures by them, was a visible share
   * of every replay. Only a move or merge changes a registered unit's chain; an unknown unit's is
   * not kept, since its registration would.
   */
  private chainOf(programId: string, unitId: string): Chain {
    const k = key(programId, unitId);
    const known = this.chains.get(k);
    if (known) return known;
    const units = [unitId, ...this.state.ancestorsOf(unitId)];
    const keys = units.map((id) => key(programId, id));
    const width = this.phaseIndex(programId).size;
    const chain = { units, keys, own: this.own.row(k, width), subtree: keys.map((chainKey) => this.subtree.row(chainKey, width)) };
    if (this.state.hasUnit(unitId)) this.chains.set(k, chain);
    return chain;
  }

  /** A subtree moved: its figures leave the old ancestors' rollups and join the new ones'; every row below re-renders (paths). */
  private reparented(unitId: string, oldAncestors: readonly string[]): void {
    this.chains.clear();
    const newAncestors = this.state.ancestorsOf(unitId);
    for (const programId of this.state.programIds()) {
      const first = this.subtree.rowOf(key(programId, unitId));
      if (first === undefined) continue;
      const width = this.phaseIndex(programId).size;
      for (const [ancestors, sign] of [[oldAncestors, -1], [newAncestors, 1]] as const) {
        for (const ancestor of ancestors) {
          const into = this.subtree.row(key(programId, ancestor), width);
          for (let i = 0; i < width; i++) this.subtree.addSlot(into + i, this.subtree, first + i, sign);
        }
      }
    }
    for (const id of [unitId, ...oldAncestors, ...newAncestors]) this.membersCache.delete(id);
    this.markChainDirty(oldAncestors);
    this.markChainDirty(newAncestors);
    for (const id of this.state.subtreeIds(unitId)) this.markChainDirty([id]);
  }

  /**
   * A unit's own members changed: every cached subtree total along its chain moves by the same
   * difference, at each date. Dropping them instead made the next quota sum every child of each
   * ancestor again, on every member count of a national registration (a district has hundreds).
   */
  private membersChanged(unitId: string): void {
    const chain = [unitId, ...this.state.ancestorsOf(unitId)];
    const before = this.membersBefore?.unitId === unitId ? this.membersBefore.own : undefined;
    if (!before) for (const id of chain) this.membersCache.delete(id);
    else {
      for (const date of this.membersDates) {
        const was = before.get(date);
        const difference = was === undefined ? undefined : this.ownMembers(unitId, date) - was;
        if (difference === 0) continue;
        for (const id of chain) {
          const cached = this.membersCache.get(id);
          const total = cached?.get(date);
          // A date first asked about during the event has no "before": its totals are summed again.
          if (total === undefined) continue;
          if (difference === undefined) cached!.delete(date);
          else cached!.set(date, total + difference);
        }
      }
    }
    this.markChainDirty(chain);
  }

  private markChainDirty(unitIds: readonly string[]): void {
    for (const programId of this.state.programIds()) for (const unitId of unitIds) this.markRows(key(programId, unitId));
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

  // ---- rows ----

  private rowsOf(k: string, only: Set<string> | typeof ALL_PHASES = ALL_PHASES): ProgressRow[] {
    const [programId, unitId] = k.split('\u0000');
    const program = this.state.program(programId);
    const unit = this.state.unit(unitId);
    if (!program || !unit) return [];
    const rules = program.rules;
    const periods = [...rules.phases.map((p) => ({ phaseKey: p.id, to: p.to })), { phaseKey: WHOLE_PROGRAM_KEY, to: programSpan(rules).to }].filter(
      (p) => only === ALL_PHASES || only.has(p.phaseKey),
    );
    const path = this.state.pathOf(unitId);
    return periods.map(({ phaseKey, to }) => {
      const assigned = this.state.assignedQuota(k, phaseKey);
      const quota = this.quotaOf(k, unitId, rules, phaseKey);
      const all = this.countersOf(this.subtree, k, phaseKey);
      const own = this.countersOf(this.own, k, phaseKey);
      const subtreeSlot = this.slotAt(this.subtree, k, phaseKey);
      const reached = subtreeSlot === undefined ? null : this.subtree.dateReaching(subtreeSlot, quota);
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
    const assigned = this.state.assignedQuota(k, phaseKey);
    if (assigned !== undefined) return assigned;
    const phase = rules.phases.find((p) => p.id === phaseKey);
    const from = phase ? phase.from : programSpan(rules).from;
    return defaultQuota(this.subtreeMembers(unitId, from), phase ? phase.targetPercent : rules.targetPercent);
  }

  /** Members in force on a date over a unit's subtree; a merged or closed unit counts none from its end date. */
  private subtreeMembers(unitId: string, date: LocalDate): number {
    let cached = this.membersCache.get(unitId);
    if (!cached) this.membersCache.set(unitId, (cached = new Map()));
    const hit = cached.get(date);
    if (hit !== undefined) return hit;
    this.membersDates.add(date);
    let total = this.ownMembers(unitId, date);
    for (const child of this.state.childrenOf(unitId) ?? []) total += this.subtreeMembers(child, date);
    cached.set(date, total);
    return total;
  }

  private ownMembers(unitId: string, date: LocalDate): number {
    const unit = this.state.unit(unitId);
    return unit && !(unit.endedOn && unit.endedOn <= date) ? membersOn(unit.memberCounts, date) : 0;
  }

  // ---- the history journal ----

  /** The (programme, unit) pairs whose counted number, quota or benefit an event may move: the chains it touches. */
  private unitsWhoseTotalsMayChange(e: AnyDomainEvent): [string, string][] {
    const chain = (unitId: string) => [unitId, ...this.state.ancestorsOf(unitId)];
    const inEveryProgram = (unitIds: string[]) => [...this.state.programIds()].flatMap((programId) => unitIds.map((unitId) => [programId, unitId] as [string, string]));
    switch (e.type) {
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
      default:
        // A launch finds nothing counted yet; rule changes count nothing until a rebuild.
        return [];
    }
  }

  /** Per phase key: subtree counted, quota, subtree benefit, own counted, own benefit; undefined when the programme or unit is unknown. */
  private totalsByPhase(programId: string, unitId: string): PhaseTotals | undefined {
    const program = this.state.program(programId);
    if (!program || !this.state.hasUnit(unitId)) return undefined;
    const k = key(programId, unitId);
    const totals: PhaseTotals = new Map();
    for (const phaseKey of [...program.rules.phases.map((p) => p.id), WHOLE_PROGRAM_KEY]) {
      const [counted, benefit] = this.countedAndBenefit(this.subtree, k, phaseKey);
      const [ownCounted, ownBenefit] = this.countedAndBenefit(this.own, k, phaseKey);
      totals.set(phaseKey, [counted, this.quotaOf(k, unitId, program.rules, phaseKey), benefit, ownCounted, ownBenefit]);
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
      const program = this.state.program(programId);
      if (!program || !this.state.hasUnit(unitId) || (this.journalUnit !== undefined && unitId !== this.journalUnit)) continue;
      for (const phaseId of [...program.rules.phases.map((p) => p.id), WHOLE_PROGRAM_KEY]) {
        const was = before.get(phaseId);
        if (!was) continue;
        const quota = this.quotaOf(k, unitId, program.rules, phaseId);
        const [counted, benefit] = this.countedAndBenefit(this.subtree, k, phaseId);
        const [ownCounted, ownBenefit] = this.countedAndBenefit(this.own, k, phaseId);
        const scope = (c: number, v: bigint, wasC: number, wasV: bigint) => {
          const change = changeBetween({ counted: wasC, quota, benefitValue: wasV }, { counted: c, quota, benefitValue: v }, false);
          return Object.keys(change).length === 0 ? null : { change, totals: { counted: c, quota, benefitValue: v.toString() } };
        };
        const subtree = scope(counted, benefit, was[0], was[1]);
        const ownScope = scope(ownCounted, ownBenefit, was[2], was[3]);
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
      unit.before.set(phaseKey, [...this.countedAndBenefit(this.subtree, k, phaseKey), ...this.countedAndBenefit(this.own, k, phaseKey)]);
    });
  }

  private recordJournal(event: StoredEvent, e: AnyDomainEvent, watched: [string, string][], before: (PhaseTotals | undefined)[]): void {
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

  private countedAndBenefit(table: FigureTable, k: string, phaseKey: string): [number, bigint] {
    const slot = this.slotAt(table, k, phaseKey);
    return slot === undefined ? [0, 0n] : [table.countedAt(slot), table.benefitAt(slot)];
  }

  private keepJournalLines(event: StoredEvent, lines: JournalLine[]): void {
    if (lines.length === 0) return;
    this.journal!.lines.push(...lines);
    this.journal!.events.push(journalEventOf(event));
  }
}

/** A unit's chain for one programme, nearest first: the units, their keys, the first slot of the unit's own figures and of each one's subtree figures. */
interface Chain {
  units: string[];
  keys: string[];
  own: number;
  subtree: number[];
}

function programOf(k: string): string {
  return k.slice(0, k.indexOf('\u0000'));
}

function isInitiativeEvent(e: AnyDomainEvent): e is InitiativeEvent {
  return e.type.startsWith('Initiative');
}
