import { ExistingUnit, LocalDate, membersOn, PlanStep, ReorganisationPlan, UnitTree } from '@app/domain';

/**
 * The 2025-shaped reorganisation of any tree, for the national benchmark to measure (it is not
 * measured here): the active provinces, in id order, merged into `provincesAfter` provinces (the
 * first of each group survives: 63 → 34 nationally), every district federation wound up or, when it
 * still has members of its own, merged into its province, and everything under them re-attached
 * directly to the merged province: its grassroots unions moved, the merged provinces' sector unions
 * and grassroots unions moved under the survivor, then the provinces merged.
 */
export function reorganisation2025(tree: UnitTree, options: { provincesAfter: number; documentRef?: string; effectiveOn?: LocalDate }): ReorganisationPlan {
  const effectiveOn = options.effectiveOn ?? ('2025-07-01' as LocalDate);
  const active = [...tree.all()].filter((u) => u.status === 'active').sort((a, b) => a.unitId.localeCompare(b.unitId));
  const under = new Map<string, ExistingUnit[]>();
  for (const unit of active) if (unit.parentId !== null) under.set(unit.parentId, [...(under.get(unit.parentId) ?? []), unit]);
  const provinces = active.filter((u) => u.kind === 'province');
  const groups = Array.from({ length: Math.min(options.provincesAfter, provinces.length) }, (_, g) => provinces.filter((_, i) => i % options.provincesAfter === g));
  const steps: PlanStep[] = [];
  for (const [survivor, ...merged] of groups) {
    for (const province of [survivor, ...merged]) {
      for (const child of under.get(province.unitId) ?? []) {
        if (child.kind !== 'district') continue;
        for (const unit of under.get(child.unitId) ?? []) steps.push({ action: 'move', unitId: unit.unitId, toParentId: survivor.unitId });
        steps.push(membersOn(child.memberCounts, effectiveOn) > 0 ? { action: 'merge', unitId: child.unitId, intoUnitId: survivor.unitId } : { action: 'wind-up', unitId: child.unitId });
      }
    }
    for (const province of merged) {
      for (const child of under.get(province.unitId) ?? []) if (child.kind !== 'district') steps.push({ action: 'move', unitId: child.unitId, toParentId: survivor.unitId });
      steps.push({ action: 'merge', unitId: province.unitId, intoUnitId: survivor.unitId });
    }
  }
  return { documentRef: options.documentRef ?? '759/QĐ-TLĐ (2025)', effectiveOn, steps };
}
