/** The console's only way to the API: JSON in and out, the session cookie, and the CSRF token on writes. */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
  /**
   * The server has no such route yet (another part of the platform still being built), or has it but not yet in
   * its access policy, which refuses such a route to everyone.
   */
  get routeMissing(): boolean {
    if (this.status === 404) return this.message.startsWith("no route");
    return this.status === 403 && this.message.includes("not registered with the access policy");
  }
}

const csrfKey = "beacon.csrf";
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
  try {
    if (token) sessionStorage.setItem(csrfKey, token);
    else sessionStorage.removeItem(csrfKey);
  } catch {}
}

function currentCsrf(): string | null {
  if (csrfToken) return csrfToken;
  try {
    csrfToken = sessionStorage.getItem(csrfKey);
  } catch {}
  return csrfToken;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

async function toError(res: Response): Promise<ApiError> {
  type ErrorBody = { error?: { code?: string; message?: string; details?: unknown } };
  let body: ErrorBody | null = null;
  try {
    body = (await res.json()) as ErrorBody;
  } catch {}
  return new ApiError(
    res.status,
    body?.error?.code ?? `HTTP_${res.status}`,
    body?.error?.message ?? res.statusText,
    body?.error?.details,
  );
}

/** Listeners told when the server says the session is gone, so the shell can show the sign-in page. */
const unauthorised = new Set<() => void>();
export function onUnauthorised(fn: () => void): () => void {
  unauthorised.add(fn);
  return () => unauthorised.delete(fn);
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (method !== "GET") {
    const token = currentCsrf();
    if (token) headers["x-csrf-token"] = token;
  }
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const res = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: payload ?? null,
    signal: signal ?? null,
  });
  if (!res.ok) {
    const err = await toError(res);
    if (res.status === 401 && !path.startsWith("/api/auth/")) for (const fn of unauthorised) fn();
    throw err;
  }
  return (await res.json()) as T;
}

export const apiGet = <T>(path: string, query?: Query, signal?: AbortSignal) =>
  request<T>("GET", withQuery(path, query), undefined, signal);
export const apiPost = <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {});

export interface UploadProgress {
  loaded: number;
  total: number;
  /** True once every byte is sent and the server is validating. */
  sent: boolean;
}

/**
 * Multipart upload through XMLHttpRequest, whose upload events give progress that fetch does not. Resolves with
 * the status and the JSON body whatever the status (a 422 carries the validation report).
 */
export function uploadWithProgress(
  path: string,
  form: FormData,
  onProgress: (p: UploadProgress) => void,
): { promise: Promise<{ status: number; body: unknown }>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    xhr.open("POST", path);
    xhr.withCredentials = true;
    xhr.setRequestHeader("accept", "application/json");
    const token = currentCsrf();
    if (token) xhr.setRequestHeader("x-csrf-token", token);
    let last = { loaded: 0, total: 0 };
    xhr.upload.onprogress = (e) => {
      last = { loaded: e.loaded, total: e.lengthComputable ? e.total : 0 };
      onProgress({ ...last, sent: false });
    };
    xhr.upload.onload = () =>
      onProgress({ loaded: last.total || last.loaded, total: last.total || last.loaded, sent: true });
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {}
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new ApiError(0, "NETWORK", "network error"));
    xhr.onabort = () => reject(new ApiError(0, "ABORTED", "aborted"));
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
