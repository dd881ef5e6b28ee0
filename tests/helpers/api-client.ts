// A dashboard API client for tests: keeps the session cookie and the CSRF token the way a browser page does.

import type { Role } from '../../common/roles.js';
import { openAccounts } from '../../dashboard/accounts/index.js';
import { SESSION_COOKIE } from '../../dashboard/api/session-cookie.js';

/** Cheap hashes: tests log in often; the production cost is broker/password.ts's DEFAULT_COST. */
export const TEST_PASSWORD_COST = { N: 1024, r: 8, p: 1 };

/** Adds a dashboard user the way `cobrew user add` does, in <dataDir>/dashboard.db. */
export async function addDashboardUser(dataDir: string, name: string, role: Role, password: string) {
  const accounts = openAccounts({ dataDir, cost: TEST_PASSWORD_COST });
  try {
    await accounts.users.add(name, role, password);
  } finally {
    accounts.close();
  }
}

export interface ApiAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export class ApiClient {
  session: string | null = null;
  csrfToken: string | null = null;

  /** `base` ends with a slash, like RunningApp.dashboardUrl. */
  constructor(readonly base: string) {}

  async login(name: string, password: string): Promise<ApiAnswer<{ csrfToken: string }>> {
    const res = await this.request<{ csrfToken: string }>('POST', 'api/auth/login', { name, password });
    if (res.status === 200) this.csrfToken = res.body.csrfToken;
    return res;
  }

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer<T>> {
    const res = await fetch(new URL(path, this.base), {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.session === null ? {} : { cookie: `${SESSION_COOKIE}=${this.session}` }),
        ...(this.csrfToken === null || method === 'GET' ? {} : { 'x-csrf-token': this.csrfToken }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = (pair ?? '').split('=');
      if (name === SESSION_COOKIE) this.session = value === '' ? null : (value ?? null);
    }
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text === '' ? null : JSON.parse(text)) as T };
  }

  get<T = unknown>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }
}
