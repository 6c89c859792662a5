import { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { ReorganisationCommand } from './reorganisation.commands';
import { ReorganisationEvent } from './reorganisation.events';
import { evolveReorganisation, initialReorganisationState, ReorganisationState } from './reorganisation.state';

/**
 * One stream per decision (its id derives from the document's reference): the decision is taken
 * once; the same decision submitted again decides nothing (the process it started carries on);
 * another plan under the same document is refused.
 */
export const reorganisationDecider: Decider<ReorganisationCommand, ReorganisationEvent, ReorganisationState> = {
  initialState: initialReorganisationState,
  evolve: evolveReorganisation,
  decide(command, state) {
    if (command.type === 'DecideReorganisation') {
      if (state.status === 'none') {
        const { type: _, ...data } = command;
        return [{ type: 'ReorganisationDecided', data }];
      }
      if (state.decision.planHash === command.planHash && state.decision.effectiveOn === command.effectiveOn) return [];
      throw new DomainError(
        'REORGANISATION_ALREADY_DECIDED',
        `Document ${command.documentRef} already decided another reorganisation (${state.decision.reorganisationId}); a new plan needs a new document`,
        'conflict',
        { reorganisationId: state.decision.reorganisationId },
      );
    }
    if (state.status === 'none') throw new DomainError('REORGANISATION_NOT_FOUND', 'No such reorganisation', 'not_found');
    const reorganisationId = state.decision.reorganisationId;
    if (command.type === 'RecordReorganisationProgress') {
      return command.stepsDone > state.stepsDone ? [{ type: 'ReorganisationProgressed', data: { reorganisationId, stepsDone: command.stepsDone } }] : [];
    }
    if (state.status === 'completed') return [];
    return [{ type: 'ReorganisationCompleted', data: { reorganisationId, stepsDone: state.decision.steps.length, completedAt: command.now } }];
  },
};
