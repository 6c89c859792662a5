import { LocalDate } from '../shared/local-date';
import { UnitRequest } from '../units/unit.commands';
import { UnitKind } from '../units/unit.events';

/** What one line of a reorganisation plan does: each is carried out as the ordinary unit command of the same name. */
export const PLAN_ACTIONS = ['register', 'move', 'merge', 'wind-up'] as const;
export type PlanAction = (typeof PLAN_ACTIONS)[number];

export type PlanStep =
  | { action: 'register'; unitId: string; name: string; kind: UnitKind; parentId: string | null; memberCount: number }
  | { action: 'move'; unitId: string; toParentId: string }
  | { action: 'merge'; unitId: string; intoUnitId: string }
  | { action: 'wind-up'; unitId: string };

/** One decision (a provincial or national document) and the steps it orders, in the order they are carried out. */
export interface ReorganisationPlan {
  documentRef: string;
  effectiveOn: LocalDate;
  steps: PlanStep[];
}

/** The unit command a step is carried out as: every structural change carries the decision's reference and date. */
export function unitRequestOf(step: PlanStep, plan: Pick<ReorganisationPlan, 'documentRef' | 'effectiveOn'>): UnitRequest {
  const { documentRef, effectiveOn } = plan;
  switch (step.action) {
    case 'register':
      return { type: 'RegisterUnit', unitId: step.unitId, name: step.name, kind: step.kind, parentId: step.parentId, memberCount: step.memberCount, effectiveOn };
    case 'move':
      return { type: 'MoveUnit', toParentId: step.toParentId, effectiveOn, documentRef };
    case 'merge':
      return { type: 'MergeUnit', intoUnitId: step.intoUnitId, effectiveOn, documentRef };
    case 'wind-up':
      return { type: 'CloseUnit', effectiveOn, documentRef, reason: 'wound up by a reorganisation' };
  }
}
