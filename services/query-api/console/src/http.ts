import { parseLinks, type PageLinks } from './links.js';

/** An answer of the API other than success, with its own message and, for a 400, the parameter at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

export interface ApiReply<T> {
  body: T;
  links: PageLinks;
}

async function failure(res: Response): Promise<ApiError> {
  let body: { message?: unknown; parameter?: unknown } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // not JSON: the status says it
  }
  return new ApiError(res.status, typeof body.message === 'string' ? body.message : `the API answered ${res.status}`, typeof body.parameter === 'string' ? body.parameter : undefined);
}

/** A JSON request to the API (same origin), with the pages its Link header names. */
export async function api<T>(path: string, init: RequestInit = {}): Promise<ApiReply<T>> {
  const res = await fetch(path, { ...init, headers: { accept: 'application/json', ...(init.headers ?? {}) }, credentials: 'same-origin' });
  if (!res.ok) throw await failure(res);
  return { body: (await res.json()) as T, links: parseLinks(res.headers.get('link')) };
}

/** What to show for a failed request: the API's own words, or why it could not be asked. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return `the API could not be reached: ${(err as Error).message}`;
}

/** True when a request failed because its view was left (its AbortController fired). */
export function isAbort(err: unknown): boolean {
  return (err as Error | undefined)?.name === 'AbortError';
}
