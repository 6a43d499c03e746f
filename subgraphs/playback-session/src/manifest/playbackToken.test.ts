import { createHmac } from 'node:crypto';
import { coversPath, signPlaybackToken, verifyPlaybackToken, type PlaybackClaims } from './playbackToken';

const secret = 'test-secret';
const claims: PlaybackClaims = {
  sessionId: 'sess-1', accountId: 'acc-1', streamLimit: 1, edge: 'us-east-1.oca.streaming.example', pathPrefix: 'titles/t1/e1/',
  issuedAt: new Date('2026-03-01T12:00:00.000Z'), expiresAt: new Date('2026-03-01T12:05:00.000Z'),
};
const before = new Date('2026-03-01T12:01:00.000Z');
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('signPlaybackToken', () => {
  it('is an HS256 JWT over the session, account, limit, edge, path and times', () => {
    const token = signPlaybackToken(claims, secret);
    const [header, payload, signature] = token.split('.');

    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toEqual({
      sid: 'sess-1', acc: 'acc-1', lim: 1, aud: 'us-east-1.oca.streaming.example', path: 'titles/t1/e1/', iat: 1772366400, exp: 1772366700,
    });
    expect(signature).toBe(createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url'));
  });

  it('refuses claims it should never sign', () => {
    expect(() => signPlaybackToken({ ...claims, sessionId: '' }, secret)).toThrow(TypeError);
    expect(() => signPlaybackToken({ ...claims, streamLimit: 0 }, secret)).toThrow(TypeError);
    expect(() => signPlaybackToken({ ...claims, edge: 'evil.example/x' }, secret)).toThrow(TypeError);
    expect(() => signPlaybackToken({ ...claims, pathPrefix: 'titles/t1' }, secret)).toThrow(TypeError);
    expect(() => signPlaybackToken({ ...claims, expiresAt: new Date('nope') }, secret)).toThrow(TypeError);
    expect(() => signPlaybackToken(claims, '')).toThrow(TypeError);
  });
});

describe('verifyPlaybackToken', () => {
  const token = signPlaybackToken(claims, secret);
  const [header, payload, signature] = token.split('.');

  it('accepts its own token until exp, and not from exp on', () => {
    expect(verifyPlaybackToken(token, secret, before)).toEqual({ valid: true, claims });
    expect(verifyPlaybackToken(token, secret, new Date('2026-03-01T12:04:59.999Z')).valid).toBe(true);
    expect(verifyPlaybackToken(token, secret, claims.expiresAt)).toEqual({ valid: false, reason: 'expired' });
  });

  it('says bad-signature for an altered claim, another secret or another signature, even once expired', () => {
    const longer = b64({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), exp: 1999999999 });
    const otherSession = b64({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sid: 'sess-2' });
    const after = new Date('2026-03-02T00:00:00Z');
    expect(verifyPlaybackToken(`${header}.${longer}.${signature}`, secret, before)).toEqual({ valid: false, reason: 'bad-signature' });
    expect(verifyPlaybackToken(`${header}.${otherSession}.${signature}`, secret, before)).toEqual({ valid: false, reason: 'bad-signature' });
    expect(verifyPlaybackToken(token, 'other-secret', before)).toEqual({ valid: false, reason: 'bad-signature' });
    expect(verifyPlaybackToken(token, 'other-secret', after)).toEqual({ valid: false, reason: 'bad-signature' });
    expect(verifyPlaybackToken(`${header}.${payload}.${Buffer.alloc(32).toString('base64url')}`, secret, before)).toEqual({ valid: false, reason: 'bad-signature' });
  });

  it("never takes the token's word for the algorithm", () => {
    const none = b64({ alg: 'none', typ: 'JWT' });
    const hs512 = b64({ alg: 'HS512', typ: 'JWT' });
    expect(verifyPlaybackToken(`${none}.${payload}.`, secret, before)).toEqual({ valid: false, reason: 'malformed' });
    const resigned = createHmac('sha256', secret).update(`${hs512}.${payload}`).digest('base64url');
    expect(verifyPlaybackToken(`${hs512}.${payload}.${resigned}`, secret, before)).toEqual({ valid: false, reason: 'malformed' });
  });

  it('says malformed for anything that is not one of its tokens', () => {
    const signedBadClaims = (value: unknown) => {
      const input = `${header}.${b64(value)}`;
      return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    };
    for (const bad of [
      undefined, 42, '', 'a.b', `${header}.${payload}`, `${header}.${payload}.${signature}.x`, `${header}.${payload}.${signature}=`,
      `${header}.${payload}.${signature.slice(0, -2)}`, `${header}.${payload}+.${signature}`, 'x'.repeat(5_000),
      signedBadClaims({ sid: 'sess-1' }), signedBadClaims({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), lim: 0 }),
      signedBadClaims({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), exp: '1999999999' }), signedBadClaims([1, 2]),
    ]) {
      expect({ bad, result: verifyPlaybackToken(bad, secret, before) }).toEqual({ bad, result: { valid: false, reason: 'malformed' } });
    }
  });
});

describe('coversPath', () => {
  it("covers the manifest and segments under the token's directory, and nothing else", () => {
    expect(coversPath(claims, '/titles/t1/e1/manifest.mpd')).toBe(true);
    expect(coversPath(claims, '/titles/t1/e1/video/3000/seg-00042.m4s')).toBe(true);
    expect(coversPath(claims, '/titles/t1/e2/manifest.mpd')).toBe(false);
    expect(coversPath(claims, '/titles/t1/e1/../e2/manifest.mpd')).toBe(false);
    expect(coversPath(claims, '/titles/t1/e1/%2e%2e/e2/manifest.mpd')).toBe(false);
    expect(coversPath(claims, '/titles/t1/e1')).toBe(false);
    expect(coversPath(claims, 'titles/t1/e1/manifest.mpd')).toBe(false);
  });
});
