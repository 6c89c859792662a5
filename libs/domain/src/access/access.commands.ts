import { GrantScope } from './access.events';

/** `by` is the authenticated subject giving the command, `now` its instant (ISO-8601). */
interface Issued {
  by: string;
  now: string;
}

export type GrantRole = Issued & GrantScope & { type: 'GrantRole'; documentRef: string | null };
export type RevokeRole = Issued & GrantScope & { type: 'RevokeRole'; documentRef: string | null };
/** Creates a key for a subject and grants the subject the roles it does not hold yet, in one append. */
export type CreateApiKey = Issued & {
  type: 'CreateApiKey';
  keyId: string;
  subject: string;
  displayName: string;
  secretHash: string;
  expiresAt: string | null;
  roles: Omit<GrantScope, 'subject'>[];
  documentRef: string | null;
};
export type RevokeApiKey = Issued & { type: 'RevokeApiKey'; keyId: string; reason: string | null };

export type AccessCommand = GrantRole | RevokeRole | CreateApiKey | RevokeApiKey;
