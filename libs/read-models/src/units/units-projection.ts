import { DomainEventType, UNIT_EVENT_TYPES } from '@app/domain';
import { DocumentsById } from '../projection/documents-by-id';
import { StateChange, stateKey } from '../projection/programme-state';
import { ReadModelProjection } from '../projection/read-model-projection';
import { UnitDoc } from './unit-doc';

const UNIT_EVENTS: ReadonlySet<DomainEventType> = new Set<DomainEventType>([...UNIT_EVENT_TYPES, 'QuotaAssigned']);

/** The units' documents: place in the tree (now and ever), members, and the quotas assigned to them. */
export class UnitsProjection extends DocumentsById<UnitDoc> implements ReadModelProjection<UnitDoc> {
  readonly handles = UNIT_EVENTS;

  apply(_e: unknown, change: StateChange): void {
    if (change.kind === 'quota') this.dirty.add(change.unitId);
    if (change.kind !== 'unit') return;
    this.dirty.add(change.unitId);
    // A move changes the path of everything below.
    if (change.moved) for (const id of this.state.subtreeIds(change.unitId)) this.dirty.add(id);
  }

  markEverythingDirty(): void {
    for (const unitId of this.state.unitIds()) this.dirty.add(unitId);
  }

  /** Every unit's document, sorted, `chunk` at a time (the end of a bulk load). */
  *everyDocument(chunk: number): Generator<UnitDoc[]> {
    const unitIds = [...this.state.unitIds()].sort();
    for (let i = 0; i < unitIds.length; i += chunk) yield unitIds.slice(i, i + chunk).flatMap((id) => this.document(id) ?? []);
  }

  document(unitId: string): UnitDoc | undefined {
    const unit = this.state.unit(unitId);
    if (!unit) return undefined;
    const quotas: Record<string, Record<string, number>> = {};
    for (const programId of [...this.state.programIds()].sort()) {
      const byPhase = this.state.assignedQuotas(stateKey(programId, unitId));
      if (byPhase) quotas[programId] = Object.fromEntries([...byPhase].sort(([a], [b]) => a.localeCompare(b)));
    }
    const latest = unit.memberCounts.reduce((best, c) => (c.effectiveOn >= best.effectiveOn ? c : best), unit.memberCounts[0]);
    return {
      unitId,
      name: unit.name,
      kind: unit.kind,
      parentId: unit.parentId,
      path: this.state.pathOf(unitId),
      everPath: [...unit.everPath].sort(),
      status: unit.status,
      mergedInto: unit.mergedInto,
      memberCount: unit.endedOn ? 0 : latest.count,
      memberCounts: unit.memberCounts.map((c) => ({ effectiveOn: c.effectiveOn, count: c.count })),
      quotas,
    };
  }
}
