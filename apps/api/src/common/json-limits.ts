/**
 * Limits on what one request body may hold, checked on the raw text before it is parsed: a body
 * within them cannot overflow the stack of any recursive step after it (the parser, validation,
 * class-transformer, the Idempotency-Key hash), and bounds the validation work per request.
 */
export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * A reorganisation's plan (`POST /admin/reorganisations` only): the national one's CSV, ~91,500
 * lines, is a few MiB; 64 MiB leaves room for a plan with long names, and stays a bound.
 */
export const MAX_PLAN_BODY_BYTES = 64 * 1024 * 1024;
/** Our deepest command (a programme's phases) nests 3 levels; 32 leaves room and no recursion risk. */
export const MAX_JSON_DEPTH = 32;
/** Members of every object together (a programme of 50 phases has ~300); refused beyond, before any validation. */
export const MAX_JSON_MEMBERS = 2_000;

export type JsonShapeViolation = { kind: 'depth'; limit: number } | { kind: 'members'; limit: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;

/**
 * One linear pass over the bytes, outside strings counting nesting and object members. Malformed
 * JSON is left to the parser: this only refuses what would be too deep or too wide if it parsed.
 */
export function jsonShapeViolation(body: Uint8Array, maxDepth = MAX_JSON_DEPTH, maxMembers = MAX_JSON_MEMBERS): JsonShapeViolation | undefined {
  let depth = 0;
  let members = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    switch (byte) {
      case QUOTE:
        inString = true;
        break;
      case OPEN_BRACE:
      case OPEN_BRACKET:
        if (++depth > maxDepth) return { kind: 'depth', limit: maxDepth };
        break;
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        depth--;
        break;
      case COLON:
        if (++members > maxMembers) return { kind: 'members', limit: maxMembers };
        break;
    }
  }
  return undefined;
}
