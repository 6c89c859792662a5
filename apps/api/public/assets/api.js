// Every request of the page goes through here: the credential on each, sign-in again on 401.
const TOKEN_KEY = 'omi.apiToken';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code ?? null;
  }
}

export const credentials = {
  get: () => localStorage.getItem(TOKEN_KEY),
  set: (token) => localStorage.setItem(TOKEN_KEY, token),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

let onUnauthenticated = () => {};
/** What to do when the API refuses the credential (or its absence): the app shows the sign-in form. */
export const whenUnauthenticated = (handler) => (onUnauthenticated = handler);

export async function api(path, { method = 'GET', query = {}, body } = {}) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  const headers = { accept: 'application/json' };
  const token = credentials.get();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await response.json().catch(() => null);
  if (response.status === 401) {
    credentials.clear();
    onUnauthenticated();
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/**
 * Who the caller is and what the page may offer them. Before authentication exists the API has no
 * `/me` (404): everyone may do everything, as the API itself allows.
 */
export async function whoAmI() {
  try {
    const me = await api('/me');
    const roles = new Set((me.roles ?? []).map((r) => r.role));
    return { subject: me.subject, admin: roles.has('admin'), auditor: roles.has('admin') || roles.has('auditor') };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { subject: null, admin: true, auditor: true };
    throw error;
  }
}
