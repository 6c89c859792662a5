import { asLocalDate, DEFAULT_COUNTING_RULE, fold, ProgramLaunched, programDecider, ProgramState, unitDecider, UnitEvent, UnitRegistered, UnitState } from '@app/domain';

/** Bắc Kạn's plan no. 111/KH-LĐLĐ: three phases, application window of Hướng dẫn 46/HD-TLĐ. */
export const bacKanLaunched: ProgramLaunched = {
  type: 'ProgramLaunched',
  data: {
    programId: 'bk-2022',
    name: '01 triệu sáng kiến – Bắc Kạn',
    period: null,
    eligibility: { from: asLocalDate('2021-09-01'), to: asLocalDate('2023-09-01') },
    phases: [
      { id: 'p1', name: 'Giai đoạn 1', from: asLocalDate('2022-01-26'), to: asLocalDate('2022-05-31'), targetPercent: 5 },
      { id: 'p2', name: 'Giai đoạn 2', from: asLocalDate('2022-06-01'), to: asLocalDate('2022-12-31'), targetPercent: 4 },
      { id: 'p3', name: 'Giai đoạn 3', from: asLocalDate('2023-01-01'), to: asLocalDate('2023-09-30'), targetPercent: 6 },
    ],
    targetPercent: 15,
    countingRule: DEFAULT_COUNTING_RULE,
    documentRef: '111/KH-LĐLĐ',
  },
};

export const bacKan: ProgramState = fold(programDecider, [bacKanLaunched]);

export function unitRegistered(unitId: string, kind: UnitRegistered['data']['kind'], parentId: string | null, memberCount = 100): UnitRegistered {
  return { type: 'UnitRegistered', data: { unitId, name: `Unit ${unitId}`, kind, parentId, memberCount, effectiveOn: asLocalDate('2022-01-01') } };
}

export function unitState(...events: UnitEvent[]): UnitState {
  return fold(unitDecider, events);
}
