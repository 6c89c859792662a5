import { InitiativeCategory, InitiativeStatus } from '@app/domain';

/** A row of the `initiatives` read model: the current state of one initiative, for listing and search. */
export interface InitiativeDoc {
  initiativeId: string;
  programId: string;
  unitId: string;
  /** The unit's ancestors from the root down to the unit itself: lists over a subtree match on it. */
  unitPath: string[];
  /** Every unit it has ever been under (moves of it or of its units included): the histories its events belong to. */
  everUnitPath: string[];
  status: InitiativeStatus;
  title: string;
  /** Title and authors without diacritics, lower case: "sáng kiến" and "sang kien" both find it. */
  searchText: string;
  authors: string[];
  category: InitiativeCategory;
  appliedOn: string;
  submittedAt: string;
  submittedOn: string;
  approvedAt: string | null;
  approvedOn: string | null;
  /** Declared benefit, whole VND as digits. */
  benefitValue: string;
  /** Recognised by the council, whole VND as digits; null unless approved. */
  recognisedValue: string | null;
  decisionRef: string | null;
  reason: string | null;
  /** The phase the initiative counts in under the programme's rules; null when outside every phase. */
  phaseId: string | null;
  /** Whether it counts towards the quota under the programme's rules. */
  counted: boolean;
  /** Put into application inside the eligibility window (as the rules now stand). */
  eligible: boolean;
  /** Global position of the last event applied to it. */
  position: string;
}
