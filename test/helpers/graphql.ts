/** Plain HTTP GraphQL calls, as any client would make them. */
import { DEMO_TOKENS } from '../../src/simulator/index.js';
export interface GraphQLResponse<TData = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly data?: TData | null | undefined;
  readonly errors?: ReadonlyArray<{
    message: string;
    path?: ReadonlyArray<string | number>;
    extensions?: Record<string, unknown>;
  }> | undefined;
  readonly extensions?: Record<string, unknown> | undefined;
}

export async function gql<TData = Record<string, unknown>>(
  url: string,
  query: string,
  options: { variables?: Record<string, unknown>; token?: string | null; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse<TData>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  const token = options.token === undefined ? DEMO_TOKENS.full : options.token;
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables: options.variables ?? {} }),
  });
  const body = (await response.json()) as {
    data?: TData | null;
    errors?: GraphQLResponse['errors'];
    extensions?: Record<string, unknown>;
  };
  return { status: response.status, headers: response.headers, ...body };
}

/** The error codes of a response, by path, e.g. { 'recordings.1': 'BAD_USER_INPUT' }. */
export function codesByPath(response: GraphQLResponse<unknown>): Record<string, unknown> {
  const codes: Record<string, unknown> = {};
  for (const error of response.errors ?? []) {
    codes[(error.path ?? []).join('.')] = error.extensions?.['code'];
  }
  return codes;
}

/** One part of an incremental (`@defer`) answer, as the multipart/mixed protocol delivers it. */
export interface IncrementalPart {
  readonly data?: Record<string, unknown> | null;
  readonly incremental?: ReadonlyArray<{
    data?: Record<string, unknown> | null;
    path?: ReadonlyArray<string | number>;
    errors?: GraphQLResponse['errors'];
  }>;
  readonly errors?: GraphQLResponse['errors'];
  readonly hasNext?: boolean;
  readonly extensions?: Record<string, unknown>;
}

/**
 * Posts an operation asking for multipart/mixed (what Apollo Client sends for `@defer`) and yields
 * each part as it arrives; a plain JSON answer (no incremental delivery) yields once.
 */
export async function* gqlIncremental(
  url: string,
  query: string,
  options: { variables?: Record<string, unknown>; token: string | null },
): AsyncGenerator<IncrementalPart> {
  const { meros } = await import('meros/browser');
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'multipart/mixed;deferSpec=20220824, application/json',
  };
  if (options.token !== null) headers['authorization'] = `Bearer ${options.token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables: options.variables ?? {} }) });
  const parts = await meros<IncrementalPart>(response);
  if (parts instanceof Response) {
    yield (await parts.json()) as IncrementalPart;
    return;
  }
  for await (const part of parts) {
    if (part.json) yield part.body;
  }
}

/** The seconds of a `Cache-Control: private, max-age=N` header; throws when the header is anything else. */
export function maxAge(headers: Headers): number {
  const match = /^private, max-age=(\d+)$/.exec(headers.get('cache-control') ?? '');
  if (match === null) throw new Error(`no max-age in ${String(headers.get('cache-control'))}`);
  return Number(match[1]);
}
