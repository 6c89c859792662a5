import { UnitKind } from '@app/domain';

/** A row of the `units` read model: the tree, member counts, and the quotas assigned to the unit. */
export interface UnitDoc {
  unitId: string;
  name: string;
  kind: UnitKind;
  parentId: string | null;
  /** Ancestors from the root down to the unit itself. */
  path: string[];
  /** Every unit this one has ever been under, and itself: the histories its events belong to. */
  everPath: string[];
  status: 'active' | 'merged' | 'closed';
  mergedInto: string | null;
  /** Members in force today (the latest effective count). */
  memberCount: number;
  memberCounts: { effectiveOn: string; count: number }[];
  /** Explicit assignments in force, by programme then phase ('all' for the whole programme). */
  quotas: Record<string, Record<string, number>>;
}
