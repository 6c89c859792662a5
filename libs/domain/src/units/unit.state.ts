import { LocalDate } from '../shared/local-date';
import { UnitEvent, UnitKind } from './unit.events';

export interface MemberCount {
  effectiveOn: LocalDate;
  count: number;
}

export type UnitState =
  | { status: 'none' }
  | {
      status: 'active' | 'merged' | 'closed';
      unitId: string;
      name: string;
      kind: UnitKind;
      parentId: string | null;
      /** In the order recorded; the first one is in force since forever. */
      memberCounts: MemberCount[];
      mergedInto: string | null;
    };

export type ExistingUnit = Exclude<UnitState, { status: 'none' }>;

export const initialUnitState = (): UnitState => ({ status: 'none' });

export function evolveUnit(state: UnitState, event: UnitEvent): UnitState {
  if (event.type === 'UnitRegistered') {
    const { unitId, name, kind, parentId, memberCount, effectiveOn } = event.data;
    return { status: 'active', unitId, name, kind, parentId, memberCounts: [{ effectiveOn, count: memberCount }], mergedInto: null };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'MemberCountRecorded':
      return { ...state, memberCounts: [...state.memberCounts, { effectiveOn: event.data.effectiveOn, count: event.data.memberCount }] };
    case 'UnitMoved':
      return { ...state, parentId: event.data.toParentId };
    case 'UnitMerged':
      return { ...state, status: 'merged', parentId: event.data.intoUnitId, mergedInto: event.data.intoUnitId };
    case 'UnitClosed':
      return { ...state, status: 'closed' };
  }
}

/**
 * Members in force on a date: the latest count effective on or before it; the first count
 * recorded is in force since forever (units rarely know their count before registration).
 * Counts recorded later for an earlier date (back-filled corrections) win over older records.
 */
export function membersOn(memberCounts: readonly MemberCount[], date: LocalDate): number {
  let best: MemberCount | undefined;
  for (const entry of memberCounts) {
    if (entry.effectiveOn <= date && (!best || entry.effectiveOn >= best.effectiveOn)) best = entry;
  }
  return (best ?? memberCounts[0])?.count ?? 0;
}
