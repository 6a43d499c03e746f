import { playbackSettingsFromEnv } from './settings';

describe('playbackSettingsFromEnv', () => {
  it('licenses for five minutes by default', () => {
    expect(playbackSettingsFromEnv({}).manifestTtlSeconds).toBe(300);
    expect(playbackSettingsFromEnv({ MANIFEST_TTL_SECONDS: '120' }).manifestTtlSeconds).toBe(120);
  });

  it('refuses a license lifetime of hours, or none, at start', () => {
    expect(() => playbackSettingsFromEnv({ MANIFEST_TTL_SECONDS: '21600' })).toThrow(/MANIFEST_TTL_SECONDS must be between 1 and 3600/);
    expect(() => playbackSettingsFromEnv({ MANIFEST_TTL_SECONDS: '0' })).toThrow(/MANIFEST_TTL_SECONDS/);
    expect(() => playbackSettingsFromEnv({ MANIFEST_TTL_SECONDS: '5m' })).toThrow(/MANIFEST_TTL_SECONDS/);
  });

  it('refuses the development signing secret in production', () => {
    expect(() => playbackSettingsFromEnv({ NODE_ENV: 'production' })).toThrow(/MANIFEST_SIGNING_SECRET must be set/);
    expect(playbackSettingsFromEnv({ NODE_ENV: 'production', MANIFEST_SIGNING_SECRET: 's3cret' }).manifestSecret).toBe('s3cret');
  });
});
