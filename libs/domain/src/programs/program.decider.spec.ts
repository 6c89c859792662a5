import { asLocalDate, DEFAULT_COUNTING_RULE, LaunchProgram, Phase, programDecider, WHOLE_PROGRAM_KEY } from '@app/domain';
import { given } from '../../test/decider-spec';
import { bacKanLaunched } from '../../test/fixtures';

const d = asLocalDate;
const launch = (overrides: Partial<LaunchProgram> = {}): LaunchProgram => ({
  type: 'LaunchProgram',
  ...bacKanLaunched.data,
  ...overrides,
});
const phase = (id: string, from: string, to: string): Phase => ({ id, name: id, from: d(from), to: d(to), targetPercent: 5 });

describe('programme decider', () => {
  it('launches a programme with its phases, window, target and the default counting rule', () => {
    given(programDecider).when(launch()).then([bacKanLaunched]);
    expect(bacKanLaunched.data.countingRule).toEqual(DEFAULT_COUNTING_RULE);
  });

  it('refuses a second launch of the same programme', () => {
    given(programDecider, [bacKanLaunched]).when(launch()).thenFails('PROGRAM_ALREADY_EXISTS', 'conflict');
  });

  it('refuses overlapping phases, even by one day', () => {
    given(programDecider)
      .when(launch({ phases: [phase('p1', '2022-01-01', '2022-06-01'), phase('p2', '2022-06-01', '2022-12-31')] }))
      .thenFails('PHASES_OVERLAP');
  });

  it('refuses phases outside the programme dates', () => {
    given(programDecider)
      .when(launch({ period: { from: d('2022-01-01'), to: d('2023-09-01') } }))
      .thenFails('PHASE_OUTSIDE_PROGRAM');
  });

  it('refuses reversed ranges, duplicate phase ids and no phase at all', () => {
    given(programDecider).when(launch({ phases: [phase('p1', '2022-05-31', '2022-01-01')] })).thenFails('DATE_RANGE_REVERSED');
    given(programDecider)
      .when(launch({ eligibility: { from: d('2023-09-01'), to: d('2021-09-01') } }))
      .thenFails('DATE_RANGE_REVERSED');
    given(programDecider)
      .when(launch({ phases: [phase('p1', '2022-01-01', '2022-02-01'), phase('p1', '2022-03-01', '2022-04-01')] }))
      .thenFails('PHASE_ID_DUPLICATED');
    given(programDecider).when(launch({ phases: [] })).thenFails('PROGRAM_HAS_NO_PHASE');
  });

  it('refuses a phase named like the whole programme, at launch and at amendment', () => {
    const error = given(programDecider)
      .when(launch({ phases: [phase(WHOLE_PROGRAM_KEY, '2022-01-01', '2022-06-30'), phase('p2', '2022-07-01', '2022-12-31')] }))
      .thenFails('PHASE_ID_RESERVED', 'rule');
    expect(error.details).toEqual({ phaseId: WHOLE_PROGRAM_KEY });
    given(programDecider, [bacKanLaunched])
      .when({ type: 'AmendPhase', phaseId: WHOLE_PROGRAM_KEY, from: d('2022-01-01'), to: d('2022-06-30'), targetPercent: 6, documentRef: 'QĐ 1' })
      .thenFails('PHASE_ID_RESERVED');
  });

  it('amends a phase (phase 3 ends on 30/09/2023 instead of 01/09/2023) unless it would overlap another', () => {
    given(programDecider, [bacKanLaunched])
      .when({ type: 'AmendPhase', phaseId: 'p3', from: d('2023-01-01'), to: d('2023-09-30'), targetPercent: 6, documentRef: '1144/LĐLĐ-CTCS' })
      .then([
        {
          type: 'PhaseAmended',
          data: { programId: 'bk-2022', phaseId: 'p3', from: d('2023-01-01'), to: d('2023-09-30'), targetPercent: 6, documentRef: '1144/LĐLĐ-CTCS' },
        },
      ]);
    given(programDecider, [bacKanLaunched])
      .when({ type: 'AmendPhase', phaseId: 'p2', from: d('2022-05-01'), to: d('2022-12-31'), targetPercent: 4, documentRef: 'x' })
      .thenFails('PHASES_OVERLAP');
    given(programDecider, [bacKanLaunched])
      .when({ type: 'AmendPhase', phaseId: 'p9', from: d('2024-01-01'), to: d('2024-02-01'), targetPercent: 4, documentRef: 'x' })
      .thenFails('PHASE_NOT_FOUND', 'not_found');
  });

  it('changes the counting rule, but never to submitted-by-approval-date', () => {
    given(programDecider, [bacKanLaunched])
      .when({ type: 'ChangeCountingRule', basis: 'approved', date: 'approvedAt', documentRef: 'CV-1' })
      .then([{ type: 'CountingRuleChanged', data: { programId: 'bk-2022', basis: 'approved', date: 'approvedAt', documentRef: 'CV-1' } }]);
    given(programDecider, [bacKanLaunched])
      .when({ type: 'ChangeCountingRule', basis: 'submitted', date: 'approvedAt', documentRef: 'CV-1' })
      .thenFails('COUNTING_RULE_INCONSISTENT');
  });

  it('raises the rules version with every rule change', () => {
    const state = [bacKanLaunched, { type: 'EligibilityWindowChanged', data: { programId: 'bk-2022', from: d('2021-09-01'), to: d('2023-09-30'), documentRef: 'x' } } as const].reduce(
      programDecider.evolve,
      programDecider.initialState(),
    );
    expect(state).toMatchObject({ rulesVersion: 2, eligibility: { to: '2023-09-30' } });
  });
});
