import { Decider } from '../shared/decider';
import { DomainError, notFound, ruleBroken } from '../shared/domain-error';
import { DateRange, overlaps } from '../shared/local-date';
import { ProgramCommand } from './program.commands';
import { Phase, ProgramEvent, WHOLE_PROGRAM_KEY } from './program.events';
import { evolveProgram, initialProgramState, ProgramState } from './program.state';

export const programDecider: Decider<ProgramCommand, ProgramEvent, ProgramState> = {
  initialState: initialProgramState,
  evolve: evolveProgram,
  decide(command, state) {
    if (command.type === 'LaunchProgram') {
      if (state.status !== 'none') {
        throw new DomainError('PROGRAM_ALREADY_EXISTS', `Programme ${command.programId} already exists`, 'conflict');
      }
      assertRange('eligibility', command.eligibility);
      if (command.period) assertRange('period', command.period);
      assertPhases(command.phases, command.period);
      const { type: _type, ...data } = command;
      return [{ type: 'ProgramLaunched', data }];
    }
    if (state.status !== 'launched') throw notFound('Program', '(unknown)');
    const programId = state.programId;
    switch (command.type) {
      case 'AmendPhase': {
        assertNotReserved(command.phaseId);
        if (!state.phases.some((p) => p.id === command.phaseId)) throw notFound('Phase', command.phaseId);
        const amended = state.phases.map((p) =>
          p.id === command.phaseId ? { ...p, from: command.from, to: command.to, targetPercent: command.targetPercent } : p,
        );
        assertPhases(amended, state.period);
        const { phaseId, from, to, targetPercent, documentRef } = command;
        return [{ type: 'PhaseAmended', data: { programId, phaseId, from, to, targetPercent, documentRef } }];
      }
      case 'ChangeCountingRule': {
        if (command.basis === 'submitted' && command.date === 'approvedAt') {
          throw ruleBroken('COUNTING_RULE_INCONSISTENT', 'Counting submitted initiatives by their approval date leaves pending ones without a date');
        }
        const { basis, date, documentRef } = command;
        return [{ type: 'CountingRuleChanged', data: { programId, basis, date, documentRef } }];
      }
      case 'ChangeEligibilityWindow': {
        assertRange('eligibility', command);
        const { from, to, documentRef } = command;
        return [{ type: 'EligibilityWindowChanged', data: { programId, from, to, documentRef } }];
      }
    }
  },
};

function assertRange(name: string, range: DateRange): void {
  if (range.from > range.to) {
    throw ruleBroken('DATE_RANGE_REVERSED', `The ${name} ends (${range.to}) before it starts (${range.from})`, { field: name });
  }
}

function assertNotReserved(phaseId: string): void {
  if (phaseId === WHOLE_PROGRAM_KEY) {
    throw ruleBroken('PHASE_ID_RESERVED', `Phase id ${phaseId} is reserved for the whole programme's figures`, { phaseId });
  }
}

/** Phases are non-empty, uniquely named, well-formed, disjoint and inside the programme's dates. */
function assertPhases(phases: readonly Phase[], period: DateRange | null): void {
  if (phases.length === 0) throw ruleBroken('PROGRAM_HAS_NO_PHASE', 'A programme needs at least one phase');
  const ids = new Set<string>();
  for (const phase of phases) {
    assertNotReserved(phase.id);
    if (ids.has(phase.id)) throw ruleBroken('PHASE_ID_DUPLICATED', `Phase id ${phase.id} is used twice`, { phaseId: phase.id });
    ids.add(phase.id);
    assertRange(`phase ${phase.id}`, phase);
    if (period && (phase.from < period.from || phase.to > period.to)) {
      throw ruleBroken('PHASE_OUTSIDE_PROGRAM', `Phase ${phase.id} (${phase.from}–${phase.to}) is outside the programme (${period.from}–${period.to})`, { phaseId: phase.id });
    }
  }
  const sorted = [...phases].sort((a, b) => a.from.localeCompare(b.from));
  for (let i = 1; i < sorted.length; i++) {
    if (overlaps(sorted[i - 1], sorted[i])) {
      throw ruleBroken('PHASES_OVERLAP', `Phases ${sorted[i - 1].id} and ${sorted[i].id} overlap`, {
        phaseIds: [sorted[i - 1].id, sorted[i].id],
      });
    }
  }
}
