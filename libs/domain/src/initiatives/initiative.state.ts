import { Author } from '../personal-data/author';
import { LocalDate } from '../shared/local-date';
import { InitiativeCategory, InitiativeEvent, InitiativeStatus } from './initiative.events';

export type InitiativeState =
  | { status: 'none' }
  | {
      status: InitiativeStatus;
      initiativeId: string;
      programId: string;
      unitId: string;
      title: string;
      authors: Author[];
      category: InitiativeCategory;
      appliedOn: LocalDate;
      submittedAt: string;
      submittedOn: LocalDate;
      /** Expected benefit declared at submission (whole VND). */
      benefitValue: bigint;
      /** Recognised by the council; null unless approved. */
      recognisedValue: bigint | null;
      approvedAt: string | null;
      approvedOn: LocalDate | null;
    };

export type ExistingInitiative = Exclude<InitiativeState, { status: 'none' }>;

export const initialInitiativeState = (): InitiativeState => ({ status: 'none' });

export function evolveInitiative(state: InitiativeState, event: InitiativeEvent): InitiativeState {
  if (event.type === 'InitiativeSubmitted') {
    const { initiativeId, programId, unitId, title, authors, category, appliedOn, submittedAt, submittedOn, benefitValue } = event.data;
    return {
      status: 'submitted',
      initiativeId,
      programId,
      unitId,
      title,
      authors,
      category,
      appliedOn,
      submittedAt,
      submittedOn,
      benefitValue: BigInt(benefitValue),
      recognisedValue: null,
      approvedAt: null,
      approvedOn: null,
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'InitiativeApproved':
      return {
        ...state,
        status: 'approved',
        recognisedValue: BigInt(event.data.benefitValue),
        approvedAt: event.data.approvedAt,
        approvedOn: event.data.approvedOn,
      };
    case 'InitiativeRejected':
      return { ...state, status: 'rejected' };
    case 'InitiativeWithdrawn':
      return { ...state, status: 'withdrawn' };
    case 'InitiativeApprovalRevoked':
      return { ...state, status: 'revoked', recognisedValue: null };
    case 'InitiativeCorrected': {
      const { benefitValue, ...rest } = event.data.changes;
      return { ...state, ...rest, ...(benefitValue !== undefined ? { benefitValue: BigInt(benefitValue) } : {}) };
    }
    case 'InitiativeMoved':
      return { ...state, unitId: event.data.unitId };
  }
}
