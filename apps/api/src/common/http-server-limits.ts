import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { problem, PROBLEM_CONTENT_TYPE } from './problem';

export interface ServerTimeouts {
  /** The request line and headers must have arrived by then. */
  headersTimeoutMs: number;
  /** The whole request, body included, must have arrived by then (a stalled upload is answered 408). */
  requestTimeoutMs: number;
  /** An idle kept-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** How often Node checks the two first (they fire up to this much late). */
  checkIntervalMs: number;
}

export const SERVER_TIMEOUTS: ServerTimeouts = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, checkIntervalMs: 1_000 };

/** Takes effect for a server not yet listening (Node starts its checking interval on listen). */
export function setServerTimeouts(server: Server, timeouts: ServerTimeouts = SERVER_TIMEOUTS): void {
  server.headersTimeout = timeouts.headersTimeoutMs;
  server.requestTimeout = timeouts.requestTimeoutMs;
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  // A createServer option that @types/node does not declare as a property; Node reads it on listen.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = timeouts.checkIntervalMs;
}

/**
 * What Node itself refuses before any of our code runs (headers too large, a request that does not
 * parse, a request too slow to arrive) is answered like every other error, as problem+json.
 */
export function hardenHttpServer(server: Server): void {
  setServerTimeouts(server);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const [status, code, detail] = clientErrorOf(error.code);
    const body = JSON.stringify(problem(status, code, detail));
    socket.end(
      `HTTP/1.1 ${status} ${REASONS[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

function clientErrorOf(code: string | undefined): [number, string, string] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'HEADERS_TOO_LARGE', 'The request headers are larger than the server accepts'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'REQUEST_TIMEOUT', 'The request did not arrive in time'];
    default:
      return [400, 'MALFORMED_REQUEST', 'The request is not valid HTTP'];
  }
}
