/**
 * One error body for every failure (RFC 9457 problem details, `application/problem+json`).
 * `code` is the stable, machine-readable part of the contract; `errors` lists every offending
 * field of a request that failed validation.
 */
export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  431: 'Request Header Fields Too Large',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(status: number, code: string, detail: string, extensions: Partial<Problem> = {}): Problem {
  return {
    type: `urn:one-million-initiatives:problem:${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    ...extensions,
  };
}

/** Thrown by the edge (pipes, guards) for a well-formed problem; the filter renders it as is. */
export class ProblemException extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}
