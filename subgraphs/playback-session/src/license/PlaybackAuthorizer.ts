import { coversPath, verifyPlaybackToken } from '../manifest';
import type { LicenseState, SessionStore } from '../sessions/SessionRecord';

/** What an edge asks about one request: the token it was shown, and optionally what for. */
export interface AuthorizeRequest {
  token: string;
  /** The edge's host name as the request addressed it; checked against the token's edge. */
  host?: string;
  /** The requested path (manifest or segment); must be under the token's title directory. */
  path?: string;
}

export type DenyReason =
  | 'malformed' | 'bad-signature' | 'token-expired' | 'wrong-edge' | 'wrong-path'
  | 'unknown-session' | Exclude<LicenseState, 'live' | 'unknown'>;

export type AuthorizeDecision =
  | { allow: true; sessionId: string; expiresAt: string }
  | { allow: false; reason: DenyReason };

const deny = (reason: DenyReason): AuthorizeDecision => ({ allow: false, reason });

/**
 * The playback authorization check: may this request for video be served? The stream limit is
 * enforced when a session starts; this is where it holds afterwards, at the edge or the DRM
 * license server, per manifest and segment request. A token that isn't ours, was altered, has
 * expired or is for another edge or title is denied from the token alone, without touching the
 * session store; otherwise its session must be live (not stopped, replaced or expired, within
 * the plan's limit), which costs the store one round trip.
 */
export class PlaybackAuthorizer {
  constructor(
    private readonly sessions: SessionStore,
    private readonly secret: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async authorize(request: AuthorizeRequest): Promise<AuthorizeDecision> {
    const verified = verifyPlaybackToken(request.token, this.secret, this.now());
    if (!verified.valid) return deny(verified.reason === 'expired' ? 'token-expired' : verified.reason);
    const { claims } = verified;
    if (request.host !== undefined && request.host.toLowerCase() !== claims.edge) return deny('wrong-edge');
    if (request.path !== undefined && !coversPath(claims, request.path)) return deny('wrong-path');
    const state = await this.sessions.licenseState(claims.sessionId, claims.accountId, claims.streamLimit);
    if (state === 'live') return { allow: true, sessionId: claims.sessionId, expiresAt: claims.expiresAt.toISOString() };
    return deny(state === 'unknown' ? 'unknown-session' : state);
  }
}
