import { DomainError } from '../shared/domain-error';
import { UnitCommand } from '../units/unit.commands';
import { unitDecider } from '../units/unit.decider';
import { UnitEvent } from '../units/unit.events';
import { membersOn } from '../units/unit.state';
import { UnitTree } from '../units/unit-tree';
import { PlanStep, ReorganisationPlan, unitRequestOf } from './reorganisation-plan';

/** One thing wrong with a plan, at its step (1-based, the CSV's data line when the plan came as CSV). */
export interface PlanProblem {
  step: number;
  unitId: string;
  code: string;
  message: string;
}

export interface SimulatedPlan {
  problems: PlanProblem[];
  /** The events each step would write, in order (none for a step with a problem). */
  events: UnitEvent[][];
  /** The tree after every step that could be carried out. */
  after: UnitTree;
}

/**
 * Runs the whole plan through the units' own rules (the unit decider), each step against the tree
 * as the earlier steps leave it, so that a plan this accepts is one whose unit commands all succeed
 * on the tree it was checked against. A step with a problem changes nothing and the rest is still
 * checked, so that every problem is listed at once. Beyond the unit commands' rules, a plan may not
 * hold the same step twice, nor wind up a unit that still has members of its own: those are merged
 * into the unit that takes them over (their history and members go with them), not wound up.
 */
export function simulatePlan(plan: ReorganisationPlan, before: UnitTree): SimulatedPlan {
  const run = planSimulation(plan, before);
  for (;;) {
    const next = run.next();
    if (next.done) return next.value;
  }
}

/**
 * simulatePlan a step at a time: it pauses after each step, so that a caller serving others
 * meanwhile can let them in between (a national plan is a hundred thousand steps).
 */
export function* planSimulation(plan: ReorganisationPlan, before: UnitTree): Generator<void, SimulatedPlan> {
  const tree = before.clone();
  const problems: PlanProblem[] = [];
  const events: UnitEvent[][] = [];
  const seen = new Set<string>();
  for (const [index, step] of plan.steps.entries()) {
    const outcome = simulatedStep(step, index, plan, tree, seen);
    if ('problem' in outcome) problems.push(outcome.problem);
    events.push('problem' in outcome ? [] : outcome.decided);
    yield;
  }
  return { problems, events, after: tree };
}

/** One step against the tree as the earlier ones left it: its events, applied to the tree, or its problem (the tree unchanged). */
function simulatedStep(step: PlanStep, index: number, plan: ReorganisationPlan, tree: UnitTree, seen: Set<string>): { decided: UnitEvent[] } | { problem: PlanProblem } {
  const refuse = (code: string, message: string) => ({ problem: { step: index + 1, unitId: step.unitId, code, message } });
  const signature = JSON.stringify(step);
  if (seen.has(signature)) return refuse('REORGANISATION_STEP_REPEATED', `Step ${index + 1} repeats an earlier step: ${step.action} ${step.unitId}`);
  seen.add(signature);
  const state = tree.get(step.unitId);
  if (step.action !== 'register' && state.status === 'none') return refuse('UNIT_NOT_FOUND', `Unit ${step.unitId} does not exist`);
  if (step.action === 'wind-up' && state.status === 'active') {
    const members = membersOn(state.memberCounts, plan.effectiveOn);
    if (members > 0) {
      return refuse('UNIT_HAS_MEMBERS', `Unit ${step.unitId} still has ${members} members on ${plan.effectiveOn}: merge it into the unit that takes them over instead of winding it up`);
    }
  }
  try {
    const decided = unitDecider.decide(commandOf(step, plan, tree), state);
    for (const event of decided) tree.apply(event);
    return { decided };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return refuse(error.code, error.message);
  }
}

/** The command as the unit command handler would resolve it, with the tree's answers instead of the store's. */
function commandOf(step: PlanStep, plan: ReorganisationPlan, tree: UnitTree): UnitCommand {
  const request = unitRequestOf(step, plan);
  switch (request.type) {
    case 'RegisterUnit':
      return { ...request, parent: request.parentId === null ? null : tree.get(request.parentId) };
    case 'MoveUnit':
      return { ...request, ...tree.treeContext(request.toParentId) };
    case 'MergeUnit':
      return { ...request, ...tree.treeContext(request.intoUnitId) };
    case 'CloseUnit':
      return { ...request, activeChildIds: tree.activeChildIds(step.unitId) };
    default:
      return request;
  }
}
