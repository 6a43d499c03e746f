import { createLogger } from '@streaming/platform/core';
import type { GraphQLFormattedError } from 'graphql';

const log = createLogger('gateway');

/**
 * URLs, IPv4/IPv6 addresses, and host:port pairs whose host is `localhost` or has a dot: where
 * our services live is nobody else's business. (A bare `word:1500` is left alone: it is more
 * often a value, like a fault header's `delay:1500`, and internal hosts appear inside URLs.)
 */
const ADDRESS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"',;)]+|\[[0-9a-f:]+\](?::\d+)?|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\b(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)+):\d{2,5}\b/gi;

/**
 * The last filter before a response leaves the gateway. Errors can carry internal addresses:
 * the gateway's own HTTP errors (the subgraph URL in `extensions.response`), and messages a
 * subgraph passed on from a call of its own ("connect ECONNREFUSED 127.0.0.1:5102"). The client
 * keeps the message, the code and the subgraph's name; the unredacted error goes to the log.
 */
export function sanitizeError(formatted: GraphQLFormattedError, _error?: unknown): GraphQLFormattedError {
  const { response, exception, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
  const message = formatted.message.replace(ADDRESS, '<internal address>');
  if (message === formatted.message && response === undefined && exception === undefined) return formatted;
  log.warn(`redacted an error for the client: ${formatted.message}${response ? ` ${JSON.stringify(response)}` : ''}`);
  return { ...formatted, message, ...(formatted.extensions ? { extensions } : {}) };
}
