import { Decider } from '../shared/decider';
import { DomainError, notFound, ruleBroken } from '../shared/domain-error';
import { TreeContext, UnitCommand } from './unit.commands';
import { UnitEvent } from './unit.events';
import { evolveUnit, ExistingUnit, initialUnitState, UnitState } from './unit.state';

export const unitDecider: Decider<UnitCommand, UnitEvent, UnitState> = {
  initialState: initialUnitState,
  evolve: evolveUnit,
  decide(command, state) {
    if (command.type === 'RegisterUnit') {
      if (state.status !== 'none') throw new DomainError('UNIT_ALREADY_EXISTS', `Unit ${command.unitId} already exists`, 'conflict');
      if (command.parentId !== null) assertCanHaveChildren(command.parent, command.parentId);
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
        if (state.parentId === command.toParentId) {
          throw ruleBroken('UNIT_ALREADY_THERE', `Unit ${unitId} is already under ${command.toParentId}`);
        }
        const { toParentId, effectiveOn, documentRef } = command;
        return [{ type: 'UnitMoved', data: { unitId, fromParentId: state.parentId, toParentId, effectiveOn, documentRef } }];
      }
      case 'MergeUnit': {
        assertActive(state);
        assertPlaceable(state, command.intoUnitId, command, 'merge');
        const { intoUnitId, effectiveOn, documentRef } = command;
        return [{ type: 'UnitMerged', data: { unitId, intoUnitId, fromParentId: state.parentId, effectiveOn, documentRef } }];
      }
      case 'CloseUnit': {
        assertActive(state);
        const { effectiveOn, documentRef, reason } = command;
        return [{ type: 'UnitClosed', data: { unitId, effectiveOn, documentRef, reason } }];
      }
    }
  },
};

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
