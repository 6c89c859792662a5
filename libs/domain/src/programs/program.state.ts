import { Phase, ProgramEvent, ProgramLaunched } from './program.events';

export type ProgramState =
  | { status: 'none' }
  | ({
      status: 'launched';
      /** 1 at launch, +1 for each rule change. */
      rulesVersion: number;
    } & Omit<ProgramLaunched['data'], 'documentRef'>);

export type LaunchedProgram = Extract<ProgramState, { status: 'launched' }>;

export const initialProgramState = (): ProgramState => ({ status: 'none' });

export function evolveProgram(state: ProgramState, event: ProgramEvent): ProgramState {
  if (event.type === 'ProgramLaunched') {
    const { programId, name, period, eligibility, phases, targetPercent, countingRule } = event.data;
    return { status: 'launched', programId, name, period, eligibility, phases, targetPercent, countingRule, rulesVersion: 1 };
  }
  if (state.status !== 'launched') return state;
  const next = { ...state, rulesVersion: state.rulesVersion + 1 };
  switch (event.type) {
    case 'PhaseAmended': {
      const { phaseId, from, to, targetPercent } = event.data;
      return { ...next, phases: state.phases.map((p) => (p.id === phaseId ? { ...p, from, to, targetPercent } : p)) };
    }
    case 'CountingRuleChanged':
      return { ...next, countingRule: { basis: event.data.basis, date: event.data.date } };
    case 'EligibilityWindowChanged':
      return { ...next, eligibility: { from: event.data.from, to: event.data.to } };
  }
}

/** The phase whose dates contain the local date, if any. */
export function phaseOn(program: Pick<LaunchedProgram, 'phases'>, date: string): Phase | undefined {
  return program.phases.find((p) => p.from <= date && date <= p.to);
}
