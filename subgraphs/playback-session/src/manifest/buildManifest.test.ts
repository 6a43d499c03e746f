import { buildManifest, issueLicense, manifestPath } from './buildManifest';
import { verifyPlaybackToken } from './playbackToken';

const input = {
  sessionId: 'sess-1',
  accountId: 'acc-1',
  streamLimit: 2,
  titleId: 't42',
  episodeId: 'e7',
  country: 'GB',
  maxQuality: 'HD' as const,
  bandwidthKbps: 5000,
  secret: 'test-secret',
  ttlSeconds: 300,
  now: new Date('2026-03-01T12:00:00.500Z'),
};

describe('buildManifest', () => {
  it('builds a licensed manifest on the viewer edge, capped at the plan quality', () => {
    const manifest = buildManifest(input);

    expect(manifest.cdnEdge).toBe('eu-west-2.oca.streaming.example');
    expect(manifest.url).toBe(`https://eu-west-2.oca.streaming.example/titles/t42/e7/manifest.mpd?token=${manifest.token}`);
    expect(manifest.expiresAt).toBe('2026-03-01T12:05:00.000Z');
    expect(manifest.startBitrateKbps).toBe(3000);
    expect(manifest.renditions.map((r) => r.bitrateKbps)).toEqual([235, 375, 560, 750, 1050, 1750, 2350, 3000, 4300, 5800]);
    expect(manifest.renditions[manifest.renditions.length - 1]).toEqual({ quality: 'HD', bitrateKbps: 5800, width: 1920, height: 1080, codec: 'avc1.640028' });
  });

  it('carries a token for this session, account, edge and episode, valid until expiresAt', () => {
    const manifest = buildManifest(input);

    expect(verifyPlaybackToken(manifest.token, 'test-secret', input.now)).toEqual({
      valid: true,
      claims: {
        sessionId: 'sess-1', accountId: 'acc-1', streamLimit: 2, edge: manifest.cdnEdge, pathPrefix: 'titles/t42/e7/',
        issuedAt: new Date('2026-03-01T12:00:00.000Z'), expiresAt: new Date(manifest.expiresAt),
      },
    });
    expect(verifyPlaybackToken(manifest.token, 'test-secret', new Date(manifest.expiresAt))).toEqual({ valid: false, reason: 'expired' });
  });

  it('serves a movie from its feature path and a BASIC plan in SD only', () => {
    const manifest = buildManifest({ ...input, episodeId: null, maxQuality: 'SD', bandwidthKbps: null });

    expect(new URL(manifest.url).pathname).toBe('/titles/t42/feature/manifest.mpd');
    expect(new Set(manifest.renditions.map((r) => r.quality))).toEqual(new Set(['SD']));
    expect(manifest.startBitrateKbps).toBe(1050);
  });

  it('refuses a ttl that is not a positive whole number of seconds', () => {
    expect(() => buildManifest({ ...input, ttlSeconds: 0 })).toThrow(RangeError);
    expect(() => buildManifest({ ...input, ttlSeconds: 1.5 })).toThrow(RangeError);
  });
});

describe('issueLicense', () => {
  it('renews: same URL path, a new token expiring ttl after now', () => {
    const first = buildManifest(input);
    const later = new Date('2026-03-01T12:01:30.000Z');
    const renewed = issueLicense({ ...input, edge: first.cdnEdge, now: later });

    expect(new URL(renewed.url).pathname).toBe(new URL(first.url).pathname);
    expect(renewed.token).not.toBe(first.token);
    expect(renewed.expiresAt).toBe('2026-03-01T12:06:30.000Z');
    expect(verifyPlaybackToken(renewed.token, 'test-secret', new Date(first.expiresAt)).valid).toBe(true);
  });
});

describe('manifestPath', () => {
  it('encodes ids so none can escape its title directory', () => {
    expect(manifestPath('t1')).toBe('titles/t1/feature/manifest.mpd');
    expect(manifestPath('../t2', 'a/b')).toBe('titles/..%2Ft2/a%2Fb/manifest.mpd');
    expect(() => manifestPath('..')).toThrow(RangeError);
    expect(() => manifestPath('t1', '.')).toThrow(RangeError);
  });
});
