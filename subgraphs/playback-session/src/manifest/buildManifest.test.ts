import { buildManifest, manifestPath } from './buildManifest';
import { verifyManifestUrl } from './signing';

const input = {
  sessionId: 'sess-1',
  titleId: 't42',
  episodeId: 'e7',
  country: 'GB',
  maxQuality: 'HD' as const,
  bandwidthKbps: 5000,
  secret: 'test-secret',
  ttlSeconds: 3600,
  now: new Date('2026-03-01T12:00:00.500Z'),
};

describe('buildManifest', () => {
  it('builds a signed manifest on the viewer edge, capped at the plan quality', () => {
    const manifest = buildManifest(input);

    expect(manifest.cdnEdge).toBe('eu-west-2.oca.streaming.example');
    expect(manifest.url).toMatch(/^https:\/\/eu-west-2\.oca\.streaming\.example\/titles\/t42\/e7\/manifest\.mpd\?session=sess-1&expires=1772370000&sig=[0-9a-f]{64}$/);
    expect(manifest.expiresAt).toBe('2026-03-01T13:00:00.000Z');
    expect(manifest.startBitrateKbps).toBe(3000);
    expect(manifest.renditions.map((r) => r.bitrateKbps)).toEqual([235, 375, 560, 750, 1050, 1750, 2350, 3000, 4300, 5800]);
    expect(manifest.renditions[manifest.renditions.length - 1]).toEqual({ quality: 'HD', bitrateKbps: 5800, width: 1920, height: 1080, codec: 'avc1.640028' });
  });

  it('produces a URL the edge accepts until expiresAt', () => {
    const manifest = buildManifest(input);

    expect(verifyManifestUrl(manifest.url, 'test-secret', input.now)).toEqual({
      valid: true, sessionId: 'sess-1', edge: manifest.cdnEdge, expiresAt: new Date(manifest.expiresAt),
    });
    expect(verifyManifestUrl(manifest.url, 'test-secret', new Date(manifest.expiresAt))).toEqual({ valid: false, reason: 'expired' });
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

describe('manifestPath', () => {
  it('encodes ids so none can escape its title directory', () => {
    expect(manifestPath('t1')).toBe('titles/t1/feature/manifest.mpd');
    expect(manifestPath('../t2', 'a/b')).toBe('titles/..%2Ft2/a%2Fb/manifest.mpd');
    expect(() => manifestPath('..')).toThrow(RangeError);
    expect(() => manifestPath('t1', '.')).toThrow(RangeError);
  });
});
