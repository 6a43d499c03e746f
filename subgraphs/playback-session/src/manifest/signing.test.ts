import { createHmac } from 'node:crypto';
import { signManifestUrl, verifyManifestUrl } from './signing';

const secret = 'test-secret';
const edge = 'us-east-1.oca.streaming.example';
const path = 'titles/t1/e1/manifest.mpd';
const expiresAt = new Date('2026-03-01T13:00:00.000Z'); // 1772370000
const before = new Date('2026-03-01T12:00:00.000Z');
const signed = () => signManifestUrl({ sessionId: 'sess-1', edge, expiresAt, secret, path });

/** Applies a change to a signed URL, as someone editing it by hand would. */
const tamper = (change: (url: URL) => void): string => {
  const url = new URL(signed());
  change(url);
  return url.toString();
};

describe('signManifestUrl', () => {
  it('puts session, Unix expiry and an HMAC-SHA256 of "session|edge|expires|path" on the URL', () => {
    const sig = createHmac('sha256', secret).update(`sess-1|${edge}|1772370000|${path}`).digest('hex');

    const url = signed();

    expect(url).toBe(`https://${edge}/${path}?session=sess-1&expires=1772370000&sig=${sig}`);
  });

  it('truncates a sub-second expiry to the second before', () => {
    const url = signManifestUrl({ sessionId: 's', edge, expiresAt: new Date('2026-03-01T13:00:00.999Z'), secret, path });

    expect(new URL(url).searchParams.get('expires')).toBe('1772370000');
  });

  it('refuses input it could not sign unambiguously', () => {
    expect(() => signManifestUrl({ sessionId: 'a|b', edge, expiresAt, secret, path })).toThrow(TypeError);
    expect(() => signManifestUrl({ sessionId: 's', edge: 'evil.example/x', expiresAt, secret, path })).toThrow(TypeError);
    expect(() => signManifestUrl({ sessionId: 's', edge, expiresAt: new Date('nope'), secret, path })).toThrow(TypeError);
    expect(() => signManifestUrl({ sessionId: 's', edge, expiresAt, secret: '', path })).toThrow(TypeError);
  });
});

describe('verifyManifestUrl', () => {
  it('accepts its own URL before expiry and reads back what was signed', () => {
    const result = verifyManifestUrl(signed(), secret, before);

    expect(result).toEqual({ valid: true, sessionId: 'sess-1', edge, expiresAt });
  });

  it('round-trips a session id and path that need encoding', () => {
    const url = signManifestUrl({ sessionId: 'a b&c=d', edge, expiresAt, secret, path: 'titles/x y/feature/manifest.mpd' });

    expect(verifyManifestUrl(url, secret, before)).toMatchObject({ valid: true, sessionId: 'a b&c=d' });
  });

  it.each([
    ['session', (u: URL) => u.searchParams.set('session', 'sess-2')],
    ['expires', (u: URL) => u.searchParams.set('expires', '1772373600')],
    ['host', (u: URL) => { u.hostname = 'eu-west-2.oca.streaming.example'; }],
    ['path', (u: URL) => { u.pathname = '/titles/t2/e1/manifest.mpd'; }],
    ['signature', (u: URL) => u.searchParams.set('sig', '0'.repeat(64))],
  ])('reports a changed %s as bad-signature', (_part, change) => {
    const url = tamper(change);

    expect(verifyManifestUrl(url, secret, before)).toEqual({ valid: false, reason: 'bad-signature' });
  });

  it('reports bad-signature for another secret', () => {
    expect(verifyManifestUrl(signed(), 'other-secret', before)).toEqual({ valid: false, reason: 'bad-signature' });
  });

  it('reports expired at and after the expiry second', () => {
    expect(verifyManifestUrl(signed(), secret, new Date('2026-03-01T12:59:59.999Z')).valid).toBe(true);
    expect(verifyManifestUrl(signed(), secret, expiresAt)).toEqual({ valid: false, reason: 'expired' });
    expect(verifyManifestUrl(signed(), secret, new Date('2026-03-02T00:00:00Z'))).toEqual({ valid: false, reason: 'expired' });
  });

  it('checks the signature before the expiry, so a forged URL never reads as expired', () => {
    const after = new Date('2026-03-02T00:00:00Z');
    const backdated = tamper((u) => u.searchParams.set('expires', '1772300000'));

    expect(verifyManifestUrl(signed(), 'other-secret', after)).toEqual({ valid: false, reason: 'bad-signature' });
    expect(verifyManifestUrl(backdated, secret, after)).toEqual({ valid: false, reason: 'bad-signature' });
  });

  it.each([
    ['not a URL', 'manifest.mpd'],
    ['plain http', signed().replace('https:', 'http:')],
    ['a port', tamper((u) => { u.port = '8443'; })],
    ['a missing signature', tamper((u) => u.searchParams.delete('sig'))],
    ['a duplicate session', tamper((u) => u.searchParams.append('session', 'sess-2'))],
    ['an extra parameter', tamper((u) => u.searchParams.append('debug', '1'))],
    ['a non-numeric expiry', tamper((u) => u.searchParams.set('expires', 'soon'))],
    ['a short signature', tamper((u) => u.searchParams.set('sig', 'abcd'))],
  ])('reports %s as malformed', (_case, url) => {
    expect(verifyManifestUrl(url, secret, before)).toEqual({ valid: false, reason: 'malformed' });
  });
});
