import { AnyDomainEvent, InitiativeEvent, LocalDate, MemberCount, ProgramEvent, ProgramRules, QuotaEvent, UnitEvent, UnitKind, WHOLE_PROGRAM_KEY } from '@app/domain';
import { chunksOf } from './chunks-of';
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

/**
 * What an event did to the programme's state, as the read-model projections need to know it after
 * the fact: what an initiative was before, where a unit hung before it moved.
 */
export type StateChange =
  | { kind: 'program'; programId: string; launched: boolean }
  | { kind: 'quota'; programId: string; unitId: string; phaseKey: string }
  | { kind: 'unit'; unitId: string; membersChanged: boolean; moved: { oldAncestors: string[] } | null }
  | { kind: 'initiative'; before: InitiativeNode | undefined; after: InitiativeNode };

export interface ProgrammeStateData {
  programs: [string, ProgramEntry][];
  units: UnitNode[];
  quotas: [string, [string, number][]][];
  /** The initiatives of each unit, by id: what a move re-renders. Their nodes are not saved (see ProjectionLimits). */
  initiativesOfUnit: [string, string[]][];
}

/** A part of the state as saved: entries of one kind of ProgrammeStateData. */
export type ProgrammeStatePart = { [K in Exclude<keyof ProgrammeStateData, 'programs'>]: { section: K; entries: ProgrammeStateData[K] } }[Exclude<keyof ProgrammeStateData, 'programs'>];

export const stateKey = (programId: string, unitId: string) => `${programId}\u0000${unitId}`;

/**
 * The hot state every read-model projection reads and none writes: the programmes' rules, the unit
 * tree, the quotas assigned, and the initiatives' nodes (what places each in the figures). It is
 * evolved once per event, before the projections take the event; each projection keeps only what
 * its own documents need beyond it (the progress figures, the initiatives' descriptions).
 *
 * Rules are those the programme had when the projection started (or `fixedRules`, for a rebuild
 * under today's rules); rule changes recorded later only count the versions.
 */
export class ProgrammeState {
  private readonly programs = new Map<string, ProgramEntry>();
  private readonly units = new Map<string, UnitNode>();
  private readonly children = new Map<string, Set<string>>();
  private readonly quotas = new Map<string, Map<string, number>>();
  private readonly initiatives = new Map<string, InitiativeNode>();
  private readonly initiativesOfUnit = new Map<string, string[]>();

  constructor(
    private readonly fixedRules: ReadonlyMap<string, ProgramRules> = new Map(),
    private readonly initiativesInMemory = Infinity,
  ) {}

  evolve(e: AnyDomainEvent): StateChange | undefined {
    switch (e.type) {
      case 'ProgramLaunched':
      case 'PhaseAmended':
      case 'CountingRuleChanged':
      case 'EligibilityWindowChanged':
        return this.evolveProgram(e);
      case 'QuotaAssigned':
        return this.evolveQuota(e);
      case 'UnitRegistered':
      case 'MemberCountRecorded':
      case 'UnitMoved':
      case 'UnitMerged':
      case 'UnitClosed':
        return this.evolveUnit(e);
      default:
        return this.evolveInitiative(e);
    }
  }

  // ---- reading ----

  program(programId: string): ProgramEntry | undefined {
    return this.programs.get(programId);
  }

  programIds(): IterableIterator<string> {
    return this.programs.keys();
  }

  programEntries(): IterableIterator<ProgramEntry> {
    return this.programs.values();
  }

  get programCount(): number {
    return this.programs.size;
  }

  unit(unitId: string): UnitNode | undefined {
    return this.units.get(unitId);
  }

  hasUnit(unitId: string): boolean {
    return this.units.has(unitId);
  }

  unitIds(): IterableIterator<string> {
    return this.units.keys();
  }

  get unitCount(): number {
    return this.units.size;
  }

  childrenOf(unitId: string): ReadonlySet<string> | undefined {
    return this.children.get(unitId);
  }

  /** The quota assigned to a unit in a phase (or the whole programme), if any; by stateKey. */
  assignedQuota(k: string, phaseKey: string): number | undefined {
    return this.quotas.get(k)?.get(phaseKey);
  }

  assignedQuotas(k: string): ReadonlyMap<string, number> | undefined {
    return this.quotas.get(k);
  }

  node(initiativeId: string): InitiativeNode | undefined {
    return this.initiatives.get(initiativeId);
  }

  hasNode(initiativeId: string): boolean {
    return this.initiatives.has(initiativeId);
  }

  initiativesIn(unitId: string): readonly string[] {
    return this.initiativesOfUnit.get(unitId) ?? [];
  }

  /** Every initiative the log has, by unit. */
  initiativeIdsByUnit(): IterableIterator<string[]> {
    return this.initiativesOfUnit.values();
  }

  /** Whether the log has the initiative, looked for first among the initiatives of `unitId`. */
  knowsInitiative(initiativeId: string, unitId: string): boolean {
    if (this.initiativesOfUnit.get(unitId)?.includes(initiativeId)) return true;
    for (const ids of this.initiativesOfUnit.values()) if (ids.includes(initiativeId)) return true;
    return false;
  }

  /** Nearest first. The decider refuses cycles and the tree's guard stream serialises moves; the bound only protects against a corrupted log. */
  ancestorsOf(unitId: string): string[] {
    const chain: string[] = [];
    let parentId = this.units.get(unitId)?.parentId ?? null;
    while (parentId !== null && !chain.includes(parentId) && parentId !== unitId) {
      chain.push(parentId);
      parentId = this.units.get(parentId)?.parentId ?? null;
    }
    return chain;
  }

  /** Ancestors from the root down to the unit itself. */
  pathOf(unitId: string): string[] {
    return [...this.ancestorsOf(unitId).reverse(), unitId];
  }

  subtreeIds(unitId: string): Set<string> {
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

  // ---- initiative nodes kept in bounded memory ----

  /** Gives back a node let go earlier, as it stood just before the event about to be applied. */
  load(node: InitiativeNode): void {
    if (!this.initiatives.has(node.initiativeId)) this.initiatives.set(node.initiativeId, node);
  }

  letGo(initiativeId: string): void {
    this.initiatives.delete(initiativeId);
  }

  /** The initiatives whose nodes are in memory beyond `bound` (default: the state's), least recently changed first. */
  initiativesBeyond(bound = this.initiativesInMemory): string[] {
    const ids: string[] = [];
    for (const id of this.initiatives.keys()) {
      if (this.initiatives.size - ids.length <= bound) break;
      ids.push(id);
    }
    return ids;
  }

  /** Least recently changed first; only after a flush, when no node is waiting to be rendered. */
  trimInitiatives(): void {
    for (const id of this.initiativesBeyond()) this.initiatives.delete(id);
  }

  // ---- saved state ----

  /** The state in parts of at most `n` entries of one kind each (see ReadModelProjections.exportStateInParts). */
  *exportStateInParts(n: number): Generator<ProgrammeStatePart> {
    for (const entries of chunksOf(this.units.values(), n)) yield { section: 'units', entries };
    for (const entries of chunksOf(this.quotas, n)) yield { section: 'quotas', entries: entries.map(([k, m]) => [k, [...m]]) };
    for (const entries of chunksOf(this.initiativesOfUnit, n)) yield { section: 'initiativesOfUnit', entries };
  }

  programEntriesById(): [string, ProgramEntry][] {
    return [...this.programs];
  }

  static fromState(data: ProgrammeStateData, fixedRules: ReadonlyMap<string, ProgramRules> = new Map(), initiativesInMemory = Infinity): ProgrammeState {
    const state = new ProgrammeState(fixedRules, initiativesInMemory);
    for (const [id, entry] of data.programs) state.programs.set(id, entry);
    for (const unit of data.units) {
      state.units.set(unit.unitId, unit);
      if (unit.parentId !== null) state.childSet(unit.parentId).add(unit.unitId);
    }
    for (const [k, entries] of data.quotas) state.quotas.set(k, new Map(entries));
    for (const [unitId, ids] of data.initiativesOfUnit) state.initiativesOfUnit.set(unitId, ids);
    return state;
  }

  // ---- evolving ----

  private evolveProgram(e: ProgramEvent): StateChange {
    const programId = e.data.programId;
    if (e.type === 'ProgramLaunched') {
      const { name, phases, eligibility, targetPercent, countingRule } = e.data;
      const rules = this.fixedRules.get(programId) ?? { programId, name, phases, eligibility, targetPercent, countingRule, rulesVersion: 1 };
      this.programs.set(programId, { rules, latestRulesVersion: 1 });
      return { kind: 'program', programId, launched: true };
    }
    const entry = this.programs.get(programId);
    if (entry) entry.latestRulesVersion += 1;
    return { kind: 'program', programId, launched: false };
  }

  private evolveQuota(e: QuotaEvent): StateChange {
    const { programId, unitId, phaseId, quota } = e.data;
    const k = stateKey(programId, unitId);
    let byPhase = this.quotas.get(k);
    if (!byPhase) this.quotas.set(k, (byPhase = new Map()));
    const phaseKey = phaseId ?? WHOLE_PROGRAM_KEY;
    byPhase.set(phaseKey, quota);
    return { kind: 'quota', programId, unitId, phaseKey };
  }

  private evolveUnit(e: UnitEvent): StateChange | undefined {
    const unitId = e.data.unitId;
    if (e.type === 'UnitRegistered') {
      const { name, kind, parentId, memberCount, effectiveOn } = e.data;
      const node: UnitNode = { unitId, name, kind, parentId, status: 'active', mergedInto: null, memberCounts: [{ effectiveOn, count: memberCount }], endedOn: null, everPath: [] };
      this.units.set(unitId, node);
      node.everPath = this.pathOf(unitId);
      if (parentId !== null) this.childSet(parentId).add(unitId);
      return { kind: 'unit', unitId, membersChanged: true, moved: null };
    }
    const unit = this.units.get(unitId);
    if (!unit) return undefined;
    switch (e.type) {
      case 'MemberCountRecorded':
        unit.memberCounts.push({ effectiveOn: e.data.effectiveOn, count: e.data.memberCount });
        return { kind: 'unit', unitId, membersChanged: true, moved: null };
      case 'UnitMoved':
        return { kind: 'unit', unitId, membersChanged: false, moved: this.reparent(unit, e.data.toParentId) };
      case 'UnitMerged':
        unit.status = 'merged';
        unit.mergedInto = e.data.intoUnitId;
        unit.endedOn = e.data.effectiveOn;
        return { kind: 'unit', unitId, membersChanged: true, moved: this.reparent(unit, e.data.intoUnitId) };
      case 'UnitClosed':
        unit.status = 'closed';
        unit.endedOn = e.data.effectiveOn;
        return { kind: 'unit', unitId, membersChanged: true, moved: null };
    }
  }

  /** Moves a unit's whole subtree; everything below now also belongs to its new ancestors' histories. */
  private reparent(unit: UnitNode, toParentId: string): { oldAncestors: string[] } {
    const oldAncestors = this.ancestorsOf(unit.unitId);
    if (unit.parentId !== null) this.children.get(unit.parentId)?.delete(unit.unitId);
    unit.parentId = toParentId;
    this.childSet(toParentId).add(unit.unitId);
    for (const id of this.subtreeIds(unit.unitId)) {
      const node = this.units.get(id);
      if (node) node.everPath = union(node.everPath, this.pathOf(id));
    }
    return { oldAncestors };
  }

  private evolveInitiative(e: InitiativeEvent): StateChange | undefined {
    const id = e.data.initiativeId;
    const before = this.initiatives.get(id);
    const after = evolveNode(before, e);
    if (!after) return undefined;
    // Re-inserted, so that the map's order is the order of last change (see trimInitiatives).
    this.initiatives.delete(id);
    this.initiatives.set(id, after);
    if (before?.unitId !== after.unitId) {
      const left = before === undefined ? undefined : this.initiativesOfUnit.get(before.unitId);
      if (left) left.splice(left.indexOf(id), 1);
      let ids = this.initiativesOfUnit.get(after.unitId);
      if (!ids) this.initiativesOfUnit.set(after.unitId, (ids = []));
      ids.push(id);
    }
    return { kind: 'initiative', before, after };
  }

  private childSet(unitId: string): Set<string> {
    let set = this.children.get(unitId);
    if (!set) this.children.set(unitId, (set = new Set()));
    return set;
  }
}

export function union(a: readonly string[], b: readonly string[]): string[] {
  return b.every((x) => a.includes(x)) ? (a as string[]) : [...new Set([...a, ...b])];
}
