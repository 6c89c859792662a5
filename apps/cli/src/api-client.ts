/** A failure the CLI reports and turns into an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export const EXIT = { ok: 0, checkFailed: 1, usage: 2, unavailable: 3 } as const;

export interface ApiResponse<T> {
  status: number;
  body: T;
}

/** The service's HTTP API: the CLI changes and reads nothing but through it, like any client. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly actor = 'cli',
    private readonly token?: string,
  ) {}

  async get<T>(path: string, query: Record<string, string | undefined> = {}): Promise<ApiResponse<T>> {
    const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined));
    return this.send<T>('GET', `${path}${params.size ? `?${params}` : ''}`);
  }

  async post<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return this.send<T>('POST', path, body, headers);
  }

  /** Like get/post, but anything but 2xx is an error worth stopping for. */
  async ok<T>(response: Promise<ApiResponse<T>>): Promise<T> {
    const { status, body } = await response;
    if (status >= 200 && status < 300) return body;
    const problem = body as { code?: string; detail?: string };
    throw new CliError(`The service answered ${status} ${problem.code ?? ''}: ${problem.detail ?? JSON.stringify(body)}`, status >= 500 ? EXIT.unavailable : EXIT.checkFailed);
  }

  private async send<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          'x-actor': this.actor,
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new CliError(`Cannot reach the service at ${this.baseUrl} (${(error as Error).cause ?? (error as Error).message}); is it running? (--url, or API_URL)`, EXIT.unavailable);
    }
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
