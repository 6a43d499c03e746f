import { errors, jwtVerify } from 'jose';
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

/**
 * Checks an internal credential for the subgraph `audience`: HS256 only (an `alg: none` or an
 * asymmetric header is refused before any key is used), signature compared in constant time
 * (jose's HMAC check uses crypto.timingSafeEqual), `aud` this subgraph, `iss` one of the
 * deployment's services, not expired, and no older than a credential can be.
 */
export class InternalCredentialVerifier {
  constructor(
    private readonly config: InternalAuthConfig,
    private readonly audience: string,
  ) {}

  /** Resolves with the caller's name; rejects with InternalCredentialRefused. */
  async verify(token: string | undefined): Promise<string> {
    if (!token) throw new InternalCredentialRefused(401, 'missing', 'this service answers only the gateway and its sibling services: no internal credential was sent');
    try {
      const { payload } = await jwtVerify(token, this.config.secret, {
        algorithms: ['HS256'],
        audience: this.audience,
        issuer: [...INTERNAL_CALLERS],
        requiredClaims: ['iss', 'aud', 'iat', 'exp'],
        maxTokenAge: this.config.ttlSeconds + CLOCK_TOLERANCE_SECONDS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      return payload.iss!;
    } catch (err) {
      throw refusal(err);
    }
  }
}

function refusal(err: unknown): InternalCredentialRefused {
  if (err instanceof errors.JWTExpired) return new InternalCredentialRefused(401, 'expired', 'the internal credential has expired');
  if (err instanceof errors.JWSSignatureVerificationFailed) return new InternalCredentialRefused(401, 'bad-signature', 'the internal credential is not signed with this deployment\'s secret');
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return new InternalCredentialRefused(403, 'wrong-audience', 'the internal credential is for another service');
    if (err.claim === 'iss') return new InternalCredentialRefused(403, 'unknown-caller', 'the internal credential names a caller that is not part of this deployment');
    return new InternalCredentialRefused(401, 'expired', `the internal credential is not valid now (${err.claim})`);
  }
  return new InternalCredentialRefused(401, 'malformed', 'the internal credential is not a valid token');
}
