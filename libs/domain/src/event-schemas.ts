import { AnyDomainEvent, DomainEventType } from './events';

/** The JSON kind of one field of an event's data, as stored. */
export type FieldKind = 'string' | 'string|null' | 'number' | 'number|null' | 'object' | 'object|null' | 'array' | 'string[]';

type DataOf<T extends DomainEventType> = Extract<AnyDomainEvent, { type: T }>['data'];

/** Every field of every event type's current data, checked when a stored event is decoded. */
export type EventDataSchemas = { [T in DomainEventType]: { [K in keyof DataOf<T>]-?: FieldKind } };

const initiativeRef = { initiativeId: 'string', programId: 'string', unitId: 'string' } as const;

export const EVENT_DATA_SCHEMAS: EventDataSchemas = {
  ProgramLaunched: {
    programId: 'string',
    name: 'string',
    period: 'object|null',
    eligibility: 'object',
    phases: 'array',
    targetPercent: 'number',
    countingRule: 'object',
    documentRef: 'string|null',
  },
  PhaseAmended: { programId: 'string', phaseId: 'string', from: 'string', to: 'string', targetPercent: 'number', documentRef: 'string' },
  CountingRuleChanged: { programId: 'string', documentRef: 'string', basis: 'string', date: 'string' },
  EligibilityWindowChanged: { programId: 'string', from: 'string', to: 'string', documentRef: 'string' },
  UnitRegistered: { unitId: 'string', name: 'string', kind: 'string', parentId: 'string|null', memberCount: 'number', effectiveOn: 'string' },
  MemberCountRecorded: { unitId: 'string', memberCount: 'number', effectiveOn: 'string' },
  UnitMoved: { unitId: 'string', fromParentId: 'string|null', toParentId: 'string', effectiveOn: 'string', documentRef: 'string|null' },
  UnitMerged: { unitId: 'string', intoUnitId: 'string', fromParentId: 'string|null', effectiveOn: 'string', documentRef: 'string|null' },
  UnitClosed: { unitId: 'string', effectiveOn: 'string', documentRef: 'string|null', reason: 'string|null' },
  QuotaAssigned: {
    programId: 'string',
    unitId: 'string',
    phaseId: 'string|null',
    quota: 'number',
    previousQuota: 'number|null',
    documentRef: 'string',
    assignedByUnitId: 'string|null',
  },
  InitiativeSubmitted: {
    ...initiativeRef,
    title: 'string',
    authors: 'array',
    category: 'string',
    appliedOn: 'string',
    submittedAt: 'string',
    submittedOn: 'string',
    benefitValue: 'string',
  },
  InitiativeApproved: { ...initiativeRef, approvedAt: 'string', approvedOn: 'string', benefitValue: 'string', decisionRef: 'string' },
  InitiativeRejected: { ...initiativeRef, rejectedAt: 'string', rejectedOn: 'string', reason: 'string' },
  InitiativeWithdrawn: { ...initiativeRef, withdrawnAt: 'string', withdrawnOn: 'string', reason: 'string|null' },
  InitiativeApprovalRevoked: { ...initiativeRef, revokedAt: 'string', revokedOn: 'string', reason: 'string', documentRef: 'string|null' },
  InitiativeCorrected: { ...initiativeRef, changes: 'object', reason: 'string|null' },
  InitiativeMoved: { ...initiativeRef, fromUnitId: 'string', reason: 'string|null' },
};

/** A schema turned into one check per field, made once: decoding runs it on every event read. */
export type CompiledSchema = readonly { field: string; kind: FieldKind; holds: (value: unknown) => boolean }[];

export function compileSchema(schema: Readonly<Record<string, FieldKind>>): CompiledSchema {
  return Object.entries(schema).map(([field, kind]) => ({ field, kind, holds: CHECKS[kind] }));
}

/** Which fields of `data` do not have the kind the schema says (missing ones included). */
export function fieldsNotMatching(data: Record<string, unknown>, schema: CompiledSchema): string[] {
  const wrong: string[] = [];
  for (const { field, kind, holds } of schema) if (!holds(data[field])) wrong.push(`${field} (${kind})`);
  return wrong;
}

const isString = (v: unknown) => typeof v === 'string';
const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
const CHECKS: Record<FieldKind, (value: unknown) => boolean> = {
  string: isString,
  'string|null': (v) => v === null || isString(v),
  number: isNumber,
  'number|null': (v) => v === null || isNumber(v),
  object: isObject,
  'object|null': (v) => v === null || isObject(v),
  array: Array.isArray,
  'string[]': (v) => Array.isArray(v) && v.every(isString),
};
