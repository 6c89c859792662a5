import { DomainEvent } from '../shared/decider';
import { LocalDate } from '../shared/local-date';
import { PlanStep } from './reorganisation-plan';

/** The decision itself, with its whole plan: what the process carries out, and resumes after a restart. */
export type ReorganisationDecided = DomainEvent<
  'ReorganisationDecided',
  { reorganisationId: string; documentRef: string; effectiveOn: LocalDate; steps: PlanStep[]; planHash: string; decidedBy: string; decidedAt: string }
>;
/** Every step before `stepsDone` has been carried out: a restart resumes from there (later ones it finds done are replays). */
export type ReorganisationProgressed = DomainEvent<'ReorganisationProgressed', { reorganisationId: string; stepsDone: number }>;
export type ReorganisationCompleted = DomainEvent<'ReorganisationCompleted', { reorganisationId: string; stepsDone: number; completedAt: string }>;

export type ReorganisationEvent = ReorganisationDecided | ReorganisationProgressed | ReorganisationCompleted;
export const REORGANISATION_EVENT_TYPES: readonly ReorganisationEvent['type'][] = ['ReorganisationDecided', 'ReorganisationProgressed', 'ReorganisationCompleted'];
