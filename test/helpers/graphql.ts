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
