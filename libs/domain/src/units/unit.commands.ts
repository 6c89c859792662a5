import { LocalDate } from '../shared/local-date';
import { UnitKind } from './unit.events';
import { UnitState } from './unit.state';

/**
 * Commands that place a unit in the tree carry what the handler looked up about the other end:
 * the parent's state and the ids of the parent's ancestors (to refuse cycles).
 */
export interface TreeContext {
  parent: UnitState;
  parentAncestorIds: string[];
}

export interface RegisterUnit {
  type: 'RegisterUnit';
  unitId: string;
  name: string;
  kind: UnitKind;
  parentId: string | null;
  memberCount: number;
  effectiveOn: LocalDate;
  parent: UnitState | null;
}

export interface RecordMemberCount {
  type: 'RecordMemberCount';
  memberCount: number;
  effectiveOn: LocalDate;
}

export interface MoveUnit extends TreeContext {
  type: 'MoveUnit';
  toParentId: string;
  effectiveOn: LocalDate;
  documentRef: string | null;
}

export interface MergeUnit extends TreeContext {
  type: 'MergeUnit';
  intoUnitId: string;
  effectiveOn: LocalDate;
  documentRef: string | null;
}

export interface CloseUnit {
  type: 'CloseUnit';
  /** Active units directly under this one, as the handler found them (the first few suffice). */
  activeChildIds: string[];
  effectiveOn: LocalDate;
  documentRef: string | null;
  reason: string | null;
}

export type UnitCommand = RegisterUnit | RecordMemberCount | MoveUnit | MergeUnit | CloseUnit;

/** A unit command as asked, before the handler looks up the other units it places this one under. */
export type UnitRequest = Omit<RegisterUnit, 'parent'> | RecordMemberCount | Omit<MoveUnit, keyof TreeContext> | Omit<MergeUnit, keyof TreeContext> | Omit<CloseUnit, 'activeChildIds'>;
