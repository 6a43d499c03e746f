import { internalAuthConfigFromEnv, INTERNAL_CREDENTIAL_TTL_SECONDS, type InternalAuthConfig } from './internalAuthConfig';
import { InternalCredentialSigner } from './InternalCredentialSigner';
import { InternalCredentialVerifier } from './InternalCredentialVerifier';

const SECRET = 'a'.repeat(43);
const config: InternalAuthConfig = internalAuthConfigFromEnv({ INTERNAL_AUTH_SECRET: SECRET })!;

describe('internalAuthConfigFromEnv', () => {
  it('is required in production, and named when missing', () => {
    expect(() => internalAuthConfigFromEnv({ NODE_ENV: 'production' })).toThrow(/^INTERNAL_AUTH_SECRET \(or INTERNAL_AUTH_SECRET_FILE\) is required when NODE_ENV=production/);
    expect(internalAuthConfigFromEnv({ NODE_ENV: 'production', INTERNAL_AUTH_SECRET: SECRET })?.ttlSeconds).toBe(INTERNAL_CREDENTIAL_TTL_SECONDS);
  });

  it('is off in development unless set', () => {
    expect(internalAuthConfigFromEnv({})).toBeUndefined();
    expect(internalAuthConfigFromEnv({ INTERNAL_AUTH_SECRET: SECRET })).toBeDefined();
  });

  it('refuses a secret shorter than 256 bits', () => {
    expect(() => internalAuthConfigFromEnv({ INTERNAL_AUTH_SECRET: 'short' })).toThrow(/INTERNAL_AUTH_SECRET must be at least 32 bytes/);
  });
});

describe('InternalCredentialSigner', () => {
  it('signs once per audience and reuses it until half its lifetime has passed', () => {
    let now = 1_000_000_000_000;
    const signer = new InternalCredentialSigner(config, 'gateway', () => now);
    const first = signer.credentialFor('catalog');
    expect(signer.credentialFor('catalog')).toBe(first);
    expect(signer.credentialFor('profile')).not.toBe(first);
    now += (INTERNAL_CREDENTIAL_TTL_SECONDS * 1000) / 2 - 1;
    expect(signer.credentialFor('catalog')).toBe(first);
    now += 1;
    expect(signer.credentialFor('catalog')).not.toBe(first);
  });
});

describe('InternalCredentialVerifier', () => {
  const verifier = new InternalCredentialVerifier(config, 'catalog');
  const refusal = (token: string | undefined) => {
    try {
      return `accepted ${verifier.verify(token)}`;
    } catch (err) {
      return `${(err as { status: number }).status} ${(err as { reason: string }).reason}`;
    }
  };

  it("accepts the deployment's callers, for itself", () => {
    expect(refusal(new InternalCredentialSigner(config, 'gateway').credentialFor('catalog'))).toBe('accepted gateway');
    expect(refusal(new InternalCredentialSigner(config, 'profile').credentialFor('catalog'))).toBe('accepted profile');
  });

  it('refuses what proves nothing with 401, and what is for someone else with 403', () => {
    const other = internalAuthConfigFromEnv({ INTERNAL_AUTH_SECRET: 'b'.repeat(43) })!;
    const signedAt = (ms: number) => new InternalCredentialSigner(config, 'gateway', () => ms).credentialFor('catalog');
    const [header, payload, signature] = signedAt(Date.now()).split('.');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const hs512 = Buffer.from(JSON.stringify({ alg: 'HS512', typ: 'JWT' })).toString('base64url');
    expect(refusal(undefined)).toBe('401 missing');
    expect(refusal('nonsense')).toBe('401 malformed');
    expect(refusal(`${none}.${payload}.`)).toBe('401 malformed');
    expect(refusal(`${hs512}.${payload}.${signature}`)).toBe('401 malformed');
    expect(refusal(`${header}.${payload}.${signature.slice(0, -2)}`)).toBe('401 bad-signature');
    expect(refusal(new InternalCredentialSigner(other, 'gateway').credentialFor('catalog'))).toBe('401 bad-signature');
    expect(refusal(signedAt(Date.now() - 3_600_000))).toBe('401 expired');
    // Signed in the future beyond clock tolerance: not valid yet.
    expect(refusal(signedAt(Date.now() + 120_000))).toBe('401 expired');
    expect(refusal(new InternalCredentialSigner(config, 'gateway').credentialFor('profile'))).toBe('403 wrong-audience');
    expect(refusal(new InternalCredentialSigner(config, 'intruder').credentialFor('catalog'))).toBe('403 unknown-caller');
  });
});
