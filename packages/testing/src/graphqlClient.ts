import { request } from 'undici';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: (string | number)[]; extensions?: Record<string, any> }>;
  extensions?: Record<string, any>;
}

/** Posts an operation the way a client does: JSON over HTTP, nothing in-process. */
export async function postGraphQL<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  operationName?: string,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await request(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables, operationName }),
  });
  const text = await response.body.text();
  let body: { data?: T | null; errors?: GraphQLResponse['errors']; extensions?: Record<string, any> };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${response.statusCode} with a non-JSON body: ${text.slice(0, 300)}`);
  }
  return { status: response.statusCode, ...body };
}
