import { Injectable } from '@nestjs/common';
import { asLocalDate, DomainError, PlanProblem, planSimulation, reorganisationDecider, ReorganisationPlan, SimulatedPlan, streams, UnitTree } from '@app/domain';
import { CommandContext, deterministicUuid } from '@app/event-store';
import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ReorganisationAggregates } from '../common/aggregates';
import { CurrentTree } from './current-tree';
import { PlanPreview, PlanPreviewer } from './plan-preview';
import { planStepsOf, rawStepsOfCsv, RawStep } from './plan-steps';
import { ReorganisationRunner, ReorganisationStatus } from './reorganisation-runner';
import { ReorganisationRequestDto } from './dto/reorganisation.dto';

/** A refusal lists this many problems at most (and says how many there were): the answer stays bounded whatever the plan. */
const MAX_LISTED_PROBLEMS = 1_000;

export type ReorganisationAnswer = Omit<ReorganisationStatus, 'state' | 'decidedBy' | 'decidedAt'> & {
  state: ReorganisationStatus['state'] | 'preview';
  decidedBy: string | null;
  decidedAt: string | null;
  alreadyDecided: boolean;
  preview: PlanPreview | null;
};

/** The same document always names the same reorganisation: submitting its decision again finds it. */
export function reorganisationIdOf(documentRef: string): string {
  return deterministicUuid('reorganisation', documentRef.trim());
}

/**
 * Takes a reorganisation decision: the whole plan checked first against the tree as the earlier
 * steps leave it (refused whole, every problem listed, nothing written), previewed on request, else
 * recorded as one event and handed to the runner that carries out its steps.
 */
@Injectable()
export class ReorganisationDecisions {
  constructor(
    private readonly currentTree: CurrentTree,
    private readonly previewer: PlanPreviewer,
    private readonly aggregates: ReorganisationAggregates,
    private readonly runner: ReorganisationRunner,
  ) {}

  async submit(body: ReorganisationRequestDto, dryRun: boolean, context: CommandContext): Promise<ReorganisationAnswer> {
    const plan = await planOf(body);
    const id = reorganisationIdOf(plan.documentRef);
    const planHash = createHash('sha256').update(JSON.stringify(plan.steps)).digest('hex');
    const decided = await this.runner.load(id);
    if (decided.status !== 'none') {
      if (decided.decision.planHash !== planHash || decided.decision.effectiveOn !== plan.effectiveOn) {
        throw new DomainError('REORGANISATION_ALREADY_DECIDED', `Document ${plan.documentRef} already decided another plan (reorganisation ${id}); a new plan needs a new document`, 'conflict', {
          reorganisationId: id,
        });
      }
      // The same decision again: nothing is written; one interrupted here carries on.
      return { ...(await this.runner.start(id)), alreadyDecided: true, preview: null };
    }
    // A preview carries on the projection state saved beside the read models: read before the tree, it is never beyond the tree's position.
    const previewStart = dryRun ? await this.previewer.start() : undefined;
    const { tree, position } = await this.currentTree.load();
    const simulated = await simulatePlanBetweenTurns(plan, tree);
    if (simulated.problems.length > 0) throw planRefused(simulated.problems);
    if (previewStart) {
      const preview = await this.previewer.preview({ start: previewStart, position, before: tree, after: simulated.after, events: simulated.events.flat(), effectiveOn: plan.effectiveOn });
      return {
        id,
        documentRef: plan.documentRef,
        effectiveOn: plan.effectiveOn,
        state: 'preview',
        stepsTotal: plan.steps.length,
        stepsDone: 0,
        decidedBy: null,
        decidedAt: null,
        finishedAt: null,
        rate: 0,
        etaSeconds: null,
        error: null,
        alreadyDecided: false,
        preview,
      };
    }
    await this.aggregates.handle(reorganisationDecider, streams.reorganisation(id), {
      type: 'DecideReorganisation',
      reorganisationId: id,
      documentRef: plan.documentRef,
      effectiveOn: plan.effectiveOn,
      steps: plan.steps,
      planHash,
      decidedBy: context.actor,
      decidedAt: context.now,
    }, context);
    return { ...(await this.runner.start(id)), alreadyDecided: false, preview: null };
  }
}

/** Steps simulated between two turns of the event loop: a national plan checked at once would hold every other request for seconds. */
const SIMULATED_STEPS_PER_TURN = 250;

async function simulatePlanBetweenTurns(plan: ReorganisationPlan, tree: UnitTree): Promise<SimulatedPlan> {
  const run = planSimulation(plan, tree);
  for (let step = 1; ; step++) {
    const next = run.next();
    if (next.done) return next.value;
    if (step % SIMULATED_STEPS_PER_TURN === 0) await nextTurn();
  }
}

async function planOf(body: ReorganisationRequestDto): Promise<ReorganisationPlan> {
  if ((body.steps === undefined) === (body.csv === undefined)) {
    throw planRefused([{ step: 0, unitId: '', code: 'PLAN_MISSING', message: 'Send the plan either as "steps" (JSON) or as "csv", one of the two' }]);
  }
  let raw: RawStep[];
  if (body.csv !== undefined) {
    const read = await rawStepsOfCsv(body.csv);
    if (read.problems.length > 0) throw planRefused(read.problems);
    raw = read.raw;
  } else {
    raw = body.steps!;
  }
  const { steps, problems } = planStepsOf(raw);
  if (problems.length > 0) throw planRefused(problems);
  return { documentRef: body.documentRef.trim(), effectiveOn: asLocalDate(body.effectiveOn), steps };
}

function planRefused(problems: PlanProblem[]): DomainError {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
  return new DomainError('REORGANISATION_PLAN_INVALID', `The plan was refused whole, nothing was written: ${problems.length} problem(s), the first at step ${problems[0].step}: ${problems[0].message}`, 'rule', {
    problems: listed,
    problemCount: problems.length,
  });
}
