import { createLogger, jsonPostRoute, playbackAuthorizations, type HttpRoute, type JsonAnswer } from '@streaming/platform';
import type { PlaybackAuthorizer } from './PlaybackAuthorizer';

/** Where edges and license servers ask: on the playback-session service's own port, outside GraphQL. */
export const AUTHORIZE_PATH = '/playback/authorize';

const BAD_REQUEST: JsonAnswer = { status: 400, body: { allow: false, reason: 'bad-request' } };
const RETRY_AFTER_SECONDS = 2;
const log = createLogger('playback-session');

/**
 * `POST /playback/authorize` `{"token": "...", "host": "edge host", "path": "/titles/..."}` (host
 * and path optional): 200 `{"allow": true, "sessionId", "expiresAt"}` to serve the request, 403
 * `{"allow": false, "reason"}` not to, 400 for a request without a token, 503 with `Retry-After`
 * when the session store doesn't answer (fail closed: an edge that can't ask doesn't serve, as
 * startPlayback doesn't admit). The status alone is enough for an edge's auth subrequest.
 */
export function authorizeRoute(authorizer: PlaybackAuthorizer): HttpRoute {
  return jsonPostRoute(AUTHORIZE_PATH, async (body) => {
    const { token, host, path } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (typeof token !== 'string' || !optionalString(host) || !optionalString(path)) {
      playbackAuthorizations.inc({ decision: 'deny', reason: 'bad-request' });
      return BAD_REQUEST;
    }
    try {
      const decision = await authorizer.authorize({ token, host, path });
      playbackAuthorizations.inc({ decision: decision.allow ? 'allow' : 'deny', reason: decision.allow ? 'live' : decision.reason });
      return { status: decision.allow ? 200 : 403, body: decision };
    } catch (err) {
      playbackAuthorizations.inc({ decision: 'unavailable', reason: 'unavailable' });
      log.debug(`playback authorization unavailable: ${(err as Error).message}`);
      return { status: 503, headers: { 'retry-after': String(RETRY_AFTER_SECONDS) }, body: { allow: false, reason: 'unavailable' } };
    }
  }, { limit: '4kb', invalid: BAD_REQUEST });
}

const optionalString = (value: unknown): value is string | undefined => value === undefined || typeof value === 'string';
