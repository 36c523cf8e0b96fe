// The bridge's API as the dashboard calls it: the token from this tab's session storage goes in the
// X-Auth-Token header, never in a URL or a cookie; failures become ApiError with the problem's detail.
const KEY = 'placewise.token';

export class ApiError extends Error {
  constructor(status, title, detail, errors) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.title = title;
    this.errors = errors || [];
  }

  /** The problem's detail, and each bad field. */
  explain() {
    const fields = this.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    return `${this.status} ${this.title || ''}: ${this.message}${fields ? ` (${fields})` : ''}`;
  }
}

export const session = {
  token: () => sessionStorage.getItem(KEY),
  role: () => sessionStorage.getItem(`${KEY}.role`),
  isAdmin: () => sessionStorage.getItem(`${KEY}.role`) === 'admin',
  save(token, role) {
    sessionStorage.setItem(KEY, token);
    sessionStorage.setItem(`${KEY}.role`, role);
  },
  clear() {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(`${KEY}.role`);
  },
};

export async function api(method, path, body, token = session.token()) {
  const headers = { Accept: 'application/json' };
  if (token) headers['X-Auth-Token'] = token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
    credentials: 'omit',
    redirect: 'error',
  });
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    throw new ApiError(response.status, data && data.title, data && data.detail, data && data.errors);
  }
  return data;
}

export const get = (path) => api('GET', path);
