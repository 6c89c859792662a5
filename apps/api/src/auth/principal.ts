import type { Credential } from '@app/event-store';
import type { Request } from 'express';

/** Who sent the request, as established by its credential (never by anything else the client says). */
export interface Principal {
  subject: string;
  displayName: string;
  credential: Credential;
}

const PRINCIPAL = Symbol('principal');

export function setPrincipal(request: Request, principal: Principal): void {
  (request as unknown as Record<symbol, Principal>)[PRINCIPAL] = principal;
}

export function principalOf(request: Request): Principal | undefined {
  return (request as unknown as Record<symbol, Principal | undefined>)[PRINCIPAL];
}
