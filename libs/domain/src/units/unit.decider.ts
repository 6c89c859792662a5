import { Decider } from '../shared/decider';
import { DomainError, notFound, ruleBroken } from '../shared/domain-error';
import { TreeContext, UnitCommand } from './unit.commands';
import { UnitEvent, UnitKind } from './unit.events';
import { evolveUnit, ExistingUnit, initialUnitState, UnitState } from './unit.state';

export const unitDecider: Decider<UnitCommand, UnitEvent, UnitState> = {
  initialState: initialUnitState,
  evolve: evolveUnit,
  decide(command, state) {
    if (command.type === 'RegisterUnit') {
      if (state.status !== 'none') throw new DomainError('UNIT_ALREADY_EXISTS', `Unit ${command.unitId} already exists`, 'conflict');
      if (command.parentId !== null) assertCanHaveChildren(command.parent, command.parentId);
      assertTreeShape(command.unitId, command.kind, command.parentId === null ? null : (command.parent as ExistingUnit).kind);
      const { unitId, name, kind, parentId, memberCount, effectiveOn } = command;
      return [{ type: 'UnitRegistered', data: { unitId, name, kind, parentId, memberCount, effectiveOn } }];
    }
    if (state.status === 'none') throw notFound('Unit', '(unknown)');
    const unitId = state.unitId;
    switch (command.type) {
      case 'RecordMemberCount':
        assertActive(state);
        return [{ type: 'MemberCountRecorded', data: { unitId, memberCount: command.memberCount, effectiveOn: command.effectiveOn } }];
      case 'MoveUnit': {
        assertActive(state);
        assertPlaceable(state, command.toParentId, command, 'move');
        assertTreeShape(unitId, state.kind, (command.parent as ExistingUnit).kind);
        if (state.parentId === command.toParentId) {
          throw ruleBroken('UNIT_ALREADY_THERE', `Unit ${unitId} is already under ${command.toParentId}`);
        }
        const { toParentId, effectiveOn, documentRef } = command;
        return [{ type: 'UnitMoved', data: { unitId, fromParentId: state.parentId, toParentId, effectiveOn, documentRef } }];
      }
      case 'MergeUnit': {
        assertActive(state);
        assertPlaceable(state, command.intoUnitId, command, 'merge');
        assertMergeable(state, (command.parent as ExistingUnit).kind, command.intoUnitId);
        const { intoUnitId, effectiveOn, documentRef } = command;
        return [{ type: 'UnitMerged', data: { unitId, intoUnitId, fromParentId: state.parentId, effectiveOn, documentRef } }];
      }
      case 'CloseUnit': {
        assertActive(state);
        if (command.activeChildIds.length > 0) {
          throw ruleBroken('UNIT_HAS_ACTIVE_CHILDREN', `Unit ${unitId} still has active subordinate units: move, merge or close them first`, {
            activeChildIds: command.activeChildIds,
          });
        }
        const { effectiveOn, documentRef, reason } = command;
        return [{ type: 'UnitClosed', data: { unitId, effectiveOn, documentRef, reason } }];
      }
    }
  },
};

/**
 * The union system's tree (DOMAIN.md): a provincial federation is a root; sector unions and
 * district federations sit under a province; grassroots unions under a province, a sector union
 * or a district federation (the 2025 reorganisation re-attached them directly to provinces).
 */
const ALLOWED_PARENTS: Record<UnitKind, readonly (UnitKind | null)[]> = {
  province: [null],
  sector: ['province'],
  district: ['province'],
  grassroots: ['province', 'sector', 'district'],
};

function assertTreeShape(unitId: string, kind: UnitKind, parentKind: UnitKind | null): void {
  if (!ALLOWED_PARENTS[kind].includes(parentKind)) {
    const where = parentKind === null ? 'a root of the tree' : `under a ${parentKind}`;
    const allowed = ALLOWED_PARENTS[kind].map((k) => k ?? 'no parent (a root)').join(', ');
    throw ruleBroken('UNIT_TREE_SHAPE', `Unit ${unitId} is a ${kind} and cannot be ${where}; its parent must be: ${allowed}`, {
      kind,
      parentKind,
      allowedParents: ALLOWED_PARENTS[kind],
    });
  }
}

/** A unit merges into one of its own kind (two provinces, two grassroots unions) or into one that could be its parent. */
function assertMergeable(state: ExistingUnit, intoKind: UnitKind, intoUnitId: string): void {
  if (intoKind !== state.kind && !ALLOWED_PARENTS[state.kind].includes(intoKind)) {
    throw ruleBroken('UNIT_TREE_SHAPE', `Unit ${state.unitId} is a ${state.kind} and cannot merge into ${intoUnitId}, a ${intoKind}`, {
      kind: state.kind,
      parentKind: intoKind,
    });
  }
}

function assertActive(state: ExistingUnit): void {
  if (state.status !== 'active') {
    throw ruleBroken('UNIT_NOT_ACTIVE', `Unit ${state.unitId} is ${state.status}`, { unitId: state.unitId, status: state.status });
  }
}

function assertCanHaveChildren(parent: UnitState | null, parentId: string, how: 'place' | 'merge' = 'place'): asserts parent is ExistingUnit {
  if (!parent || parent.status === 'none') throw notFound('Unit', parentId);
  if (parent.status !== 'active') {
    throw ruleBroken('UNIT_NOT_ACTIVE', `Unit ${parentId} is ${parent.status}`, { unitId: parentId, status: parent.status });
  }
  // Two grassroots unions may merge; only a live subordinate unit needs a non-grassroots parent.
  if (parent.kind === 'grassroots' && how === 'place') {
    throw ruleBroken('GRASSROOTS_HAS_NO_CHILDREN', `Unit ${parentId} is a grassroots union and cannot have subordinate units`);
  }
}

/** The new place exists, is active, and is not the unit itself or inside its own subtree. */
function assertPlaceable(state: ExistingUnit, targetId: string, context: TreeContext, how: 'move' | 'merge'): void {
  if (targetId === state.unitId || context.parentAncestorIds.includes(state.unitId)) {
    throw ruleBroken('UNIT_TREE_CYCLE', `Unit ${state.unitId} cannot be placed under ${targetId}, which is inside its own subtree`);
  }
  assertCanHaveChildren(context.parent, targetId, how === 'merge' ? 'merge' : 'place');
}
