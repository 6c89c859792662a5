import { asLocalDate, planSimulation, PlanStep, reorganisationDecider, simulatePlan, UnitTree } from '@app/domain';
import { given } from '../../test/decider-spec';
import { unitRegistered } from '../../test/fixtures';

const tree = () =>
  UnitTree.of([
    unitRegistered('bk', 'province', null, 200),
    unitRegistered('na-ri', 'district', 'bk', 0),
    unitRegistered('thpt', 'grassroots', 'na-ri', 40),
    unitRegistered('cb', 'province', null, 150),
  ]);
const plan = (steps: PlanStep[]) => ({ documentRef: '759/QĐ-TLĐ', effectiveOn: asLocalDate('2025-07-01'), steps });

describe('a reorganisation plan, checked whole against the tree as its earlier steps leave it', () => {
  it('accepts steps that only hold after the earlier ones: a move under a unit the plan registers, a wind-up once the children have left', () => {
    const before = tree();
    const { problems, events, after } = simulatePlan(
      plan([
        { action: 'register', unitId: 'gd', name: 'Ngành Giáo dục', kind: 'sector', parentId: 'bk', memberCount: 0 },
        { action: 'move', unitId: 'thpt', toParentId: 'gd' },
        { action: 'wind-up', unitId: 'na-ri' },
        { action: 'merge', unitId: 'cb', intoUnitId: 'bk' },
      ]),
      before,
    );
    expect(problems).toEqual([]);
    expect(events.map((e) => e.map((x) => x.type))).toEqual([['UnitRegistered'], ['UnitMoved'], ['UnitClosed'], ['UnitMerged']]);
    expect(events[2][0].data).toMatchObject({ documentRef: '759/QĐ-TLĐ', effectiveOn: '2025-07-01' });
    expect(after.get('thpt')).toMatchObject({ parentId: 'gd' });
    expect(after.subtreeMembers('bk', asLocalDate('2025-07-01'))).toBe(240);
    // The tree it was checked against is left as it was (the preview's "before").
    expect(before.get('thpt')).toMatchObject({ parentId: 'na-ri' });
    expect(before.get('gd')).toEqual({ status: 'none' });
  });

  it('lists every problem, each at its step, and goes on checking after one', () => {
    const { problems } = simulatePlan(
      plan([
        { action: 'wind-up', unitId: 'na-ri' },
        { action: 'move', unitId: 'ghost', toParentId: 'bk' },
        { action: 'move', unitId: 'bk', toParentId: 'na-ri' },
        { action: 'wind-up', unitId: 'thpt' },
        { action: 'move', unitId: 'thpt', toParentId: 'cb' },
        { action: 'move', unitId: 'thpt', toParentId: 'cb' },
        { action: 'register', unitId: 'cb', name: 'again', kind: 'province', parentId: null, memberCount: 0 },
        { action: 'register', unitId: 'x', name: 'x', kind: 'district', parentId: 'na-ri', memberCount: 0 },
      ]),
      tree(),
    );
    expect(problems.map((p) => [p.step, p.unitId, p.code])).toEqual([
      [1, 'na-ri', 'UNIT_HAS_ACTIVE_CHILDREN'],
      [2, 'ghost', 'UNIT_NOT_FOUND'],
      [3, 'bk', 'UNIT_TREE_CYCLE'],
      [4, 'thpt', 'UNIT_HAS_MEMBERS'],
      [6, 'thpt', 'REORGANISATION_STEP_REPEATED'],
      [7, 'cb', 'UNIT_ALREADY_EXISTS'],
      [8, 'x', 'UNIT_TREE_SHAPE'],
    ]);
  });

  it('a step at a time, pausing after each, to the same answer', () => {
    const steps: PlanStep[] = [
      { action: 'move', unitId: 'thpt', toParentId: 'cb' },
      { action: 'move', unitId: 'ghost', toParentId: 'bk' },
      { action: 'wind-up', unitId: 'na-ri' },
    ];
    const run = planSimulation(plan(steps), tree());
    let pauses = 0;
    for (let next = run.next(); ; next = run.next()) {
      if (next.done) {
        expect(pauses).toBe(3);
        const whole = simulatePlan(plan(steps), tree());
        expect(next.value.problems).toEqual(whole.problems);
        expect(next.value.events).toEqual(whole.events);
        expect(next.value.after.get('thpt')).toEqual(whole.after.get('thpt'));
        expect(next.value.problems.map((p) => p.code)).toEqual(['UNIT_NOT_FOUND']);
        return;
      }
      pauses += 1;
    }
  });
});

describe('the decision', () => {
  const decide = {
    type: 'DecideReorganisation' as const,
    reorganisationId: 'r1',
    documentRef: '759/QĐ-TLĐ',
    effectiveOn: asLocalDate('2025-07-01'),
    steps: [{ action: 'wind-up' as const, unitId: 'na-ri' }],
    planHash: 'h1',
    decidedBy: 'admin',
    decidedAt: '2025-06-30T02:00:00Z',
  };
  const { type: _, ...decided } = decide;

  it('is taken once; the same decision again decides nothing; another plan under the same document is refused', () => {
    given(reorganisationDecider).when(decide).then([{ type: 'ReorganisationDecided', data: decided }]);
    given(reorganisationDecider, [{ type: 'ReorganisationDecided', data: decided }]).when(decide).then([]);
    given(reorganisationDecider, [{ type: 'ReorganisationDecided', data: decided }]).when({ ...decide, planHash: 'h2' }).thenFails('REORGANISATION_ALREADY_DECIDED', 'conflict');
  });

  it('records progress forwards only, and completes once', () => {
    const history = [{ type: 'ReorganisationDecided' as const, data: decided }, { type: 'ReorganisationProgressed' as const, data: { reorganisationId: 'r1', stepsDone: 50 } }];
    given(reorganisationDecider, history).when({ type: 'RecordReorganisationProgress', stepsDone: 50 }).then([]);
    given(reorganisationDecider, history)
      .when({ type: 'CompleteReorganisation', now: '2025-07-01T00:00:00Z' })
      .then([{ type: 'ReorganisationCompleted', data: { reorganisationId: 'r1', stepsDone: 1, completedAt: '2025-07-01T00:00:00Z' } }]);
  });
});
