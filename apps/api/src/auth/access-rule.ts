import { SetMetadata } from '@nestjs/common';
import { Role } from '@app/domain';
import type { Request } from 'express';
import { UnitPaths } from './unit-paths';

/**
 * Where a request acts: a unit path (the unit and its ancestors, as the tree is now), or null for
 * a place above every unit (programmes, the whole system), where only a role held everywhere counts.
 */
export type PlaceOf = (request: Request, paths: UnitPaths) => Promise<string[] | null>;

export interface AccessRule {
  roles: readonly Role[] | ((request: Request) => readonly Role[]);
  /** The request is allowed when a role is held over every one of them (a move: both ends). */
  places: readonly PlaceOf[];
  /** Any authenticated subject, whatever it holds (who am I). */
  anyone?: boolean;
}

export const ACCESS_RULE = 'access:rule';
export const PUBLIC_ROUTE = 'access:public';

/** The route's rule: the one place that says who may call it (the access guard refuses routes without one). */
export const Allow = (roles: AccessRule['roles'], ...places: PlaceOf[]) => SetMetadata(ACCESS_RULE, { roles, places } satisfies AccessRule);
/** Programmes, rules, rebuilds, grants and keys: admins only. */
export const AdminOnly = () => Allow([], everywhere);
/** Every authenticated subject, with or without a grant. */
export const AnyAuthenticated = () => SetMetadata(ACCESS_RULE, { roles: [], places: [], anyone: true } satisfies AccessRule);
/** No credentials needed (liveness, readiness, the API description). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Who reads progress, units and initiatives: an officer or council sees its own subtree too. */
export const READERS: readonly Role[] = ['reader', 'auditor', 'officer', 'council'];
export const AUDITORS: readonly Role[] = ['auditor'];

export const everywhere: PlaceOf = async () => null;

/** The unit named by a route parameter, itself included. */
export const unitParam =
  (name: string): PlaceOf =>
  (request, paths) =>
    paths.including(request.params[name] as string);

/** Strictly beneath: the ancestors of the unit named by a route parameter (an officer changes units below its own). */
export const beneathUnitParam =
  (name: string): PlaceOf =>
  (request, paths) =>
    paths.above(request.params[name] as string);

/** The unit named by a body field, itself included; a missing field is a place above every unit. */
export const unitInBody =
  (field: string): PlaceOf =>
  async (request, paths) => {
    const id = fieldOf(request.body, field);
    return id === undefined ? null : paths.including(id);
  };

/** Strictly beneath the unit named by a body field (a quota for a unit is set from above it). */
export const beneathUnitInBody =
  (field: string): PlaceOf =>
  async (request, paths) => {
    const id = fieldOf(request.body, field);
    return id === undefined ? null : paths.above(id);
  };

/** The unit named by a query parameter; absent, the query spans every unit. */
export const unitInQuery =
  (name: string): PlaceOf =>
  async (request, paths) => {
    const id = request.query[name];
    return typeof id === 'string' ? paths.including(id) : null;
  };

/** The unit the initiative named by the route is in now. */
export const initiativeParam =
  (name: string): PlaceOf =>
  (request, paths) =>
    paths.ofInitiative(request.params[name] as string);

function fieldOf(body: unknown, field: string): string | undefined {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' ? value : undefined;
}
