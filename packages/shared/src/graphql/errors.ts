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
  /** The gateway could not reach a subgraph, or its circuit is open; carries `serviceName`. */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** A subgraph fetch outlived its timeout or the request's deadline; carries `serviceName`. */
  GATEWAY_TIMEOUT: 'GATEWAY_TIMEOUT',
  /** A dependency is down and the operation can't safely proceed; retry after `retryAfterSeconds`. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
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
