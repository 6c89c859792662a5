import { simulatePlan, UnitEvent, UnitTree } from '@app/domain';
import { buildNationalLog, nationalShape } from './national-log';
import { reorganisation2025 } from './reorganisation-plan';

describe('the 2025-shaped plan the national benchmark applies', () => {
  it('is valid on a national-shaped tree: no district left active, provinces merged into the given number', () => {
    const unitEvents = buildNationalLog({ ...nationalShape(0.05), provinces: 5 })
      .positioned()
      .filter((e) => ['UnitRegistered', 'MemberCountRecorded', 'UnitMoved', 'UnitMerged', 'UnitClosed'].includes(e.type)) as unknown as UnitEvent[];
    const tree = UnitTree.of(unitEvents);
    const plan = reorganisation2025(tree, { provincesAfter: 2 });
    const { problems, after } = simulatePlan(plan, tree);
    expect(problems).toEqual([]);
    const active = [...after.all()].filter((u) => u.status === 'active');
    expect(active.filter((u) => u.kind === 'district')).toEqual([]);
    expect(active.filter((u) => u.kind === 'province')).toHaveLength(2);
    expect(active.filter((u) => u.kind === 'grassroots').every((u) => after.get(u.parentId!).status === 'active')).toBe(true);
  });
});
