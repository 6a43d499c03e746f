import { verifyHs256 } from './hs256';
import { INTERNAL_CALLERS, type InternalAuthConfig } from './internalAuthConfig';

/** Why a credential was refused: 401 when it proves nothing, 403 when it proves a call that isn't for us. */
export class InternalCredentialRefused extends Error {
  constructor(
    readonly status: 401 | 403,
    /** A short, fixed label (also the metric's): missing, malformed, bad-signature, expired, wrong-audience, unknown-caller. */
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Clock difference between hosts tolerated on `exp` and `iat`. */
const CLOCK_TOLERANCE_SECONDS = 30;

const REFUSALS = {
  missing: [401, 'this service answers only the gateway and its sibling services: no internal credential was sent'],
  malformed: [401, 'the internal credential is not a valid token'],
  'bad-signature': [401, "the internal credential is not signed with this deployment's secret"],
  expired: [401, 'the internal credential has expired (or is not valid yet)'],
  'wrong-audience': [403, 'the internal credential is for another service'],
  'unknown-caller': [403, 'the internal credential names a caller that is not part of this deployment'],
} as const;

function refuse(reason: keyof typeof REFUSALS): never {
  const [status, message] = REFUSALS[reason];
  throw new InternalCredentialRefused(status, reason, message);
}

/**
 * Checks an internal credential for the subgraph `audience`, synchronously (see hs256.ts): HS256
 * only, signature compared in constant time, `aud` this subgraph, `iss` one of the deployment's
 * services, not expired, and no older than a credential can be.
 */
export class InternalCredentialVerifier {
  constructor(
    private readonly config: InternalAuthConfig,
    private readonly audience: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The caller's name; throws InternalCredentialRefused. */
  verify(token: string | undefined): string {
    if (!token) refuse('missing');
    const verified = verifyHs256(token, this.config.secret);
    if ('failure' in verified) refuse(verified.failure);
    const { iss, aud, iat, exp } = verified.claims;
    if (typeof iss !== 'string' || typeof aud !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') refuse('malformed');
    const now = this.now() / 1000;
    const tolerance = CLOCK_TOLERANCE_SECONDS;
    if (exp <= now - tolerance || iat > now + tolerance || now - iat > this.config.ttlSeconds + tolerance) refuse('expired');
    if (aud !== this.audience) refuse('wrong-audience');
    if (!INTERNAL_CALLERS.includes(iss)) refuse('unknown-caller');
    return iss;
  }
}
