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
  it('signs once per audience and reuses it until half its lifetime has passed', async () => {
    let now = 1_000_000_000_000;
    const signer = new InternalCredentialSigner(config, 'gateway', () => now);
    const first = await signer.credentialFor('catalog');
    expect(await signer.credentialFor('catalog')).toBe(first);
    expect(await signer.credentialFor('profile')).not.toBe(first);
    now += (INTERNAL_CREDENTIAL_TTL_SECONDS * 1000) / 2 - 1;
    expect(await signer.credentialFor('catalog')).toBe(first);
    now += 1;
    expect(await signer.credentialFor('catalog')).not.toBe(first);
  });
});

describe('InternalCredentialVerifier', () => {
  const verifier = new InternalCredentialVerifier(config, 'catalog');
  const refusal = (token: string | undefined) => verifier.verify(token).then(() => 'accepted', (err) => `${err.status} ${err.reason}`);

  it("accepts the deployment's callers, for itself", async () => {
    expect(await verifier.verify(await new InternalCredentialSigner(config, 'gateway').credentialFor('catalog'))).toBe('gateway');
    expect(await verifier.verify(await new InternalCredentialSigner(config, 'profile').credentialFor('catalog'))).toBe('profile');
  });

  it('refuses what proves nothing with 401, and what is for someone else with 403', async () => {
    const other = internalAuthConfigFromEnv({ INTERNAL_AUTH_SECRET: 'b'.repeat(43) })!;
    const expired = new InternalCredentialSigner(config, 'gateway', () => Date.now() - 3_600_000);
    expect(await refusal(undefined)).toBe('401 missing');
    expect(await refusal('nonsense')).toBe('401 malformed');
    expect(await refusal(await new InternalCredentialSigner(other, 'gateway').credentialFor('catalog'))).toBe('401 bad-signature');
    expect(await refusal(await expired.credentialFor('catalog'))).toBe('401 expired');
    expect(await refusal(await new InternalCredentialSigner(config, 'gateway').credentialFor('profile'))).toBe('403 wrong-audience');
    expect(await refusal(await new InternalCredentialSigner(config, 'intruder').credentialFor('catalog'))).toBe('403 unknown-caller');
  });
});
