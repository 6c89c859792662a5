import { sameAuthors } from '../personal-data/author';
import { ProgramState } from '../programs/program.state';
import { isInFuture } from '../shared/clock';
import { Decider } from '../shared/decider';
import { DomainError, notFound, ruleBroken } from '../shared/domain-error';
import { isWithin, LocalDate, localDateOf } from '../shared/local-date';
import { CorrectInitiative, InitiativeCommand } from './initiative.commands';
import { InitiativeCorrections, InitiativeEvent, InitiativeStatus } from './initiative.events';
import { evolveInitiative, ExistingInitiative, initialInitiativeState, InitiativeState } from './initiative.state';

export const initiativeDecider: Decider<InitiativeCommand, InitiativeEvent, InitiativeState> = {
  initialState: initialInitiativeState,
  evolve: evolveInitiative,
  decide(command, state) {
    if (command.type === 'SubmitInitiative') {
      const { initiativeId, programId, unitId, program, unit } = command;
      if (state.status !== 'none') {
        throw new DomainError('INITIATIVE_ALREADY_EXISTS', `Initiative ${initiativeId} already exists`, 'conflict');
      }
      if (program.status !== 'launched') throw notFound('Program', programId);
      if (unit.status === 'none') throw notFound('Unit', unitId);
      if (unit.status !== 'active') {
        throw ruleBroken('UNIT_NOT_ACTIVE', `Unit ${unitId} is ${unit.status} and takes no initiatives`, { unitId, status: unit.status });
      }
      assertEligible(program, command.appliedOn);
      assertNotInFuture('submittedAt', command.submittedAt, command.now);
      const { title, authors, category, appliedOn, submittedAt } = command;
      return [
        {
          type: 'InitiativeSubmitted',
          data: {
            initiativeId,
            programId,
            unitId,
            title,
            authors,
            category,
            appliedOn,
            submittedAt,
            submittedOn: localDateOf(submittedAt),
            benefitValue: command.benefitValue.toString(),
          },
        },
      ];
    }
    if (state.status === 'none') throw notFound('Initiative', '(unknown)');
    const ref = { initiativeId: state.initiativeId, programId: state.programId, unitId: state.unitId };
    switch (command.type) {
      case 'ApproveInitiative': {
        assertStatus(state, ['submitted'], 'approved');
        assertNotInFuture('approvedAt', command.approvedAt, command.now);
        assertNotBeforeSubmission('approvedAt', command.approvedAt, state);
        const benefitValue = (command.benefitValue ?? state.benefitValue).toString();
        const { approvedAt, decisionRef } = command;
        return [{ type: 'InitiativeApproved', data: { ...ref, approvedAt, approvedOn: localDateOf(approvedAt), benefitValue, decisionRef } }];
      }
      case 'RejectInitiative': {
        assertStatus(state, ['submitted'], 'rejected');
        assertNotInFuture('rejectedAt', command.rejectedAt, command.now);
        assertNotBeforeSubmission('rejectedAt', command.rejectedAt, state);
        const { rejectedAt, reason } = command;
        return [{ type: 'InitiativeRejected', data: { ...ref, rejectedAt, rejectedOn: localDateOf(rejectedAt), reason } }];
      }
      case 'WithdrawInitiative':
        assertStatus(state, ['submitted'], 'withdrawn');
        return [
          { type: 'InitiativeWithdrawn', data: { ...ref, withdrawnAt: command.now, withdrawnOn: localDateOf(command.now), reason: command.reason } },
        ];
      case 'RevokeApproval': {
        assertStatus(state, ['approved'], 'revoked');
        const { reason, documentRef } = command;
        return [
          { type: 'InitiativeApprovalRevoked', data: { ...ref, revokedAt: command.now, revokedOn: localDateOf(command.now), reason, documentRef } },
        ];
      }
      case 'CorrectInitiative': {
        assertStatus(state, ['submitted', 'approved', 'rejected', 'revoked'], 'corrected');
        const changes = changedFields(state, command.changes);
        if (Object.keys(changes).length === 0) {
          throw ruleBroken('NOTHING_TO_CORRECT', 'The correction changes no field of the initiative');
        }
        if (changes.appliedOn !== undefined) {
          if (command.program.status !== 'launched') throw notFound('Program', state.programId);
          assertEligible(command.program, changes.appliedOn);
        }
        return [{ type: 'InitiativeCorrected', data: { ...ref, changes, reason: command.reason } }];
      }
      case 'MoveInitiative': {
        const { toUnitId, toUnit } = command;
        if (toUnit.status === 'none') throw notFound('Unit', toUnitId);
        if (toUnit.status !== 'active') {
          throw ruleBroken('UNIT_NOT_ACTIVE', `Unit ${toUnitId} is ${toUnit.status} and takes no initiatives`, { unitId: toUnitId, status: toUnit.status });
        }
        if (toUnitId === state.unitId) throw ruleBroken('INITIATIVE_ALREADY_THERE', `Initiative is already recorded for unit ${toUnitId}`);
        return [{ type: 'InitiativeMoved', data: { ...ref, unitId: toUnitId, fromUnitId: state.unitId, reason: command.reason } }];
      }
    }
  },
};

/** Eligible initiatives were put into application inside the programme's window (Hướng dẫn 46/HD-TLĐ). */
function assertEligible(program: Extract<ProgramState, { status: 'launched' }>, appliedOn: LocalDate): void {
  if (!isWithin(appliedOn, program.eligibility)) {
    throw ruleBroken(
      'APPLIED_OUTSIDE_ELIGIBILITY_WINDOW',
      `Put into application on ${appliedOn}, outside the eligibility window ${program.eligibility.from} – ${program.eligibility.to}`,
      { appliedOn, eligibility: program.eligibility },
    );
  }
}

function assertStatus(state: ExistingInitiative, allowed: InitiativeStatus[], action: string): void {
  if (!allowed.includes(state.status)) {
    throw ruleBroken('INITIATIVE_STATUS_FORBIDS', `An initiative that is ${state.status} cannot be ${action}`, {
      status: state.status,
      allowedFrom: allowed,
    });
  }
}

function assertNotInFuture(field: string, instant: string, now: string): void {
  if (isInFuture(instant, now)) throw ruleBroken('DATE_IN_FUTURE', `${field} ${instant} is in the future`, { field });
}

/** A council decides on what was submitted: a decision dated earlier would count the initiative before it existed. */
function assertNotBeforeSubmission(field: string, instant: string, state: ExistingInitiative): void {
  if (Date.parse(instant) < Date.parse(state.submittedAt)) {
    throw ruleBroken('DECIDED_BEFORE_SUBMISSION', `${field} ${instant} is before the initiative was submitted (${state.submittedAt})`, {
      field,
      submittedAt: state.submittedAt,
    });
  }
}

/** Only the fields whose value really changes: a correction that restates a value records nothing for it. */
function changedFields(state: ExistingInitiative, requested: CorrectInitiative['changes']): InitiativeCorrections {
  const changes: InitiativeCorrections = {};
  if (requested.title !== undefined && requested.title !== state.title) changes.title = requested.title;
  if (requested.authors !== undefined && !sameAuthors(requested.authors, state.authors)) changes.authors = requested.authors;
  if (requested.category !== undefined && requested.category !== state.category) changes.category = requested.category;
  if (requested.appliedOn !== undefined && requested.appliedOn !== state.appliedOn) changes.appliedOn = requested.appliedOn;
  if (requested.benefitValue !== undefined && requested.benefitValue !== state.benefitValue) changes.benefitValue = requested.benefitValue.toString();
  return changes;
}
