import { generatePrivateJwk, keysFromPrivateJwk } from './keys';
import { MemoryRevocationList } from './RevocationList';
import { TokenIssuer } from './TokenIssuer';
import { TokenVerifier } from './TokenVerifier';

const options = { issuer: 'test-issuer', audience: 'test-api' };

async function setup() {
  const keys = await keysFromPrivateJwk(await generatePrivateJwk('k1'));
  const revocations = new MemoryRevocationList();
  const verifier = new TokenVerifier(keys.jwks, options, revocations);
  const issuer = new TokenIssuer(keys.signing!, { ...options, ttlSeconds: 900 });
  return { keys, revocations, verifier, issuer };
}

const code = async (promise: Promise<unknown>) => promise.then(() => 'accepted', (err) => `${err.extensions?.code} ${err.extensions?.http?.status}`);

describe('TokenVerifier', () => {
  it('accepts a token it can verify and returns its viewer', async () => {
    const { verifier, issuer } = await setup();
    const { token, expiresAt } = await issuer.issue('acct-1', 'session-1');
    const viewer = await verifier.verify(token);
    expect(viewer).toMatchObject({ accountId: 'acct-1', sessionId: 'session-1', credential: token, expiresAt: expiresAt.getTime() / 1000 });
    expect(viewer.tokenId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses expired, unsigned, foreign and misaddressed tokens with UNAUTHENTICATED and 401', async () => {
    const { verifier, issuer, keys } = await setup();
    const expired = (await issuer.issue('acct-1', 's', -60)).token;
    const [, payload] = (await issuer.issue('acct-1', 's')).token.split('.');
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    const rogue = await keysFromPrivateJwk(await generatePrivateJwk('k1'));
    const forged = (await new TokenIssuer(rogue.signing!, { ...options, ttlSeconds: 900 }).issue('acct-1', 's')).token;
    const otherAudience = (await new TokenIssuer(keys.signing!, { ...options, audience: 'other', ttlSeconds: 900 }).issue('acct-1', 's')).token;
    const otherIssuer = (await new TokenIssuer(keys.signing!, { ...options, issuer: 'other', ttlSeconds: 900 }).issue('acct-1', 's')).token;
    for (const token of [expired, none, forged, otherAudience, otherIssuer, 'garbage', '']) {
      expect(await code(verifier.verify(token))).toBe('UNAUTHENTICATED 401');
    }
  });

  it('keeps checking the revocation list for tokens it has already verified', async () => {
    const { verifier, issuer, revocations } = await setup();
    const { token } = await issuer.issue('acct-1', 'session-2');
    expect(await code(verifier.verify(token))).toBe('accepted');
    await revocations.revoke('session-2', 60);
    expect(await code(verifier.verify(token))).toBe('UNAUTHENTICATED 401');
  });

  it('verifies a signature once per token, then serves it from its cache until exp', async () => {
    const { verifier, issuer } = await setup();
    const { token } = await issuer.issue('acct-1', 'session-3');
    const check = jest.spyOn(verifier as unknown as { check(t: string): Promise<unknown> }, 'check');
    await verifier.verify(token);
    await verifier.verify(token);
    await verifier.verify(token);
    expect(check).toHaveBeenCalledTimes(1);
  });
});
