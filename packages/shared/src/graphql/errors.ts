import { GraphQLError } from 'graphql';

/**
 * The error codes clients can branch on. Each helper takes a message that says what is wrong in
 * the caller's terms ("title t-123 does not exist"), since that text reaches UI developers as is.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  PROFILE_LIMIT_REACHED: 'PROFILE_LIMIT_REACHED',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  // Edge (gateway) refusals, before any subgraph is called.
  /** Estimated worst-case cost above the limit; `extensions.cost` and `extensions.maxCost` say by how much. */
  COST_ESTIMATED_TOO_EXPENSIVE: 'COST_ESTIMATED_TOO_EXPENSIVE',
  MAX_DEPTH_EXCEEDED: 'MAX_DEPTH_EXCEEDED',
  MAX_ALIASES_EXCEEDED: 'MAX_ALIASES_EXCEEDED',
  MAX_ROOT_FIELDS_EXCEEDED: 'MAX_ROOT_FIELDS_EXCEEDED',
  MAX_DIRECTIVES_EXCEEDED: 'MAX_DIRECTIVES_EXCEEDED',
  /** Too many requests from one viewer or address; the response carries `Retry-After`. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** A body over the size cap (HTTP 413). */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** Not a GraphQL request: malformed JSON, a batch, a wrong method or content type, an unknown operationName. */
  BAD_REQUEST: 'BAD_REQUEST',
  /** Apollo Server's code for an operationName the document doesn't define (HTTP 400). */
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  /** Trusted documents: a persisted-query id that is not in the manifest. */
  PERSISTED_QUERY_NOT_IN_LIST: 'PERSISTED_QUERY_NOT_IN_LIST',
  /** Trusted documents in `enforce` mode: query text sent instead of a registered id. */
  PERSISTED_QUERY_ID_REQUIRED: 'PERSISTED_QUERY_ID_REQUIRED',
} as const;

export function badUserInput(message: string, argumentName?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, ...(argumentName ? { argumentName } : {}) },
  });
}

export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.NOT_FOUND } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });
}

export function graphQLError(code: string, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

/** Validates a page-size style argument: an integer in [0, max]. */
export function assertRange(argumentName: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw badUserInput(`${argumentName} must be 0 or more, got ${value}`, argumentName);
  }
  if (value > max) {
    throw badUserInput(`${argumentName} must be at most ${max}, got ${value}`, argumentName);
  }
  return value;
}
