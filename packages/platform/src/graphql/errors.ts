import { GraphQLError } from 'graphql';

/**
 * Every `extensions.code` a client can receive: the one registry. Throw sites use these names,
 * the README's error-code table lists exactly these (test/error-codes.test.ts checks), and
 * adding a code is one line here plus its README row. Each helper below takes a message that
 * says what is wrong in the caller's terms ("title t-123 does not exist"), since that text
 * reaches UI developers as is.
 */
export const ErrorCode = {
  /** An argument is out of range or malformed (including unknown enum values); the message says which. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** A mutation names an id that does not exist (queries return null instead). */
  NOT_FOUND: 'NOT_FOUND',
  /** The request is understood but not allowed, e.g. a title above the profile's rating. */
  FORBIDDEN: 'FORBIDDEN',
  /** The account already holds the most profiles it can; carries `maxProfiles`. */
  PROFILE_LIMIT_REACHED: 'PROFILE_LIMIT_REACHED',
  /** The plan's concurrent streams are in use; carries `activeSessions`. */
  CONCURRENT_STREAM_LIMIT: 'CONCURRENT_STREAM_LIMIT',
  /** A heartbeat or stop for a session that was stopped or replaced. */
  SESSION_ENDED: 'SESSION_ENDED',
  /** A heartbeat for a session that missed heartbeats for longer than its timeout. */
  SESSION_EXPIRED: 'SESSION_EXPIRED',
  /** A subgraph could not be reached (by the gateway or by another subgraph); carries `serviceName`. */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** A subgraph fetch outlived its timeout or the request's deadline; carries `serviceName`. */
  GATEWAY_TIMEOUT: 'GATEWAY_TIMEOUT',
  /** A store the request needs is unreachable for now (playback sessions while Redis is down); carries `retryAfterSeconds`. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** Anything unexpected; details only in the logs. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** Not a GraphQL request: malformed JSON, a batch, a wrong method or content type, an unknown operationName (HTTP 400). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** The request body is over the size cap (HTTP 413). */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** Apollo Server's: the document is not valid GraphQL syntax (HTTP 400). */
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  /** Apollo Server's: the document does not validate against the schema (HTTP 400). */
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  /** No viewer where one is needed, or a credential that isn't valid (expired, bad signature, signed out). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** A subgraph called without a valid internal credential (HTTP 401, or 403 for one meant for another service): only the gateway and sibling subgraphs may call it. */
  INTERNAL_CREDENTIAL_REJECTED: 'INTERNAL_CREDENTIAL_REJECTED',
  // Edge (gateway) refusals, before any subgraph is called.
  /** Estimated worst-case cost above the limit; `extensions.cost` and `extensions.maxCost` say by how much. */
  COST_ESTIMATED_TOO_EXPENSIVE: 'COST_ESTIMATED_TOO_EXPENSIVE',
  MAX_DEPTH_EXCEEDED: 'MAX_DEPTH_EXCEEDED',
  MAX_ALIASES_EXCEEDED: 'MAX_ALIASES_EXCEEDED',
  MAX_ROOT_FIELDS_EXCEEDED: 'MAX_ROOT_FIELDS_EXCEEDED',
  MAX_DIRECTIVES_EXCEEDED: 'MAX_DIRECTIVES_EXCEEDED',
  /** Too many requests from one viewer or address; the response carries `Retry-After`. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** Apollo Server's code for an operationName the document doesn't define (HTTP 400). */
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  /** Apollo Server's: an automatic persisted query's hash it doesn't know yet; the client resends with the text. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** Trusted documents: a persisted-query id that is not in the manifest. */
  PERSISTED_QUERY_NOT_IN_LIST: 'PERSISTED_QUERY_NOT_IN_LIST',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

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

export function graphQLError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

/** Fail closed, with a hint: the request did nothing and can be sent again after `retryAfterSeconds`. */
export function serviceUnavailable(message: string, retryAfterSeconds: number): GraphQLError {
  return graphQLError(ErrorCode.SERVICE_UNAVAILABLE, message, { retryAfterSeconds });
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
