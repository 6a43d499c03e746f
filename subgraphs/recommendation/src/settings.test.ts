import { recommendationSettingsFromEnv } from './settings';

describe('recommendationSettingsFromEnv', () => {
  it('refuses the development cursor secret in production', () => {
    expect(() => recommendationSettingsFromEnv({ NODE_ENV: 'production' })).toThrow(/CURSOR_SIGNING_SECRET must be set in production/);
    expect(recommendationSettingsFromEnv({ NODE_ENV: 'production', CURSOR_SIGNING_SECRET: 's3cret' }).cursorSecret).toBe('s3cret');
    expect(recommendationSettingsFromEnv({}).cursorSecret).toEqual(expect.any(String));
  });

  it('keeps a home-screen visit ten minutes by default, between a second and an hour', () => {
    expect(recommendationSettingsFromEnv({}).homeVisitSeconds).toBe(600);
    expect(recommendationSettingsFromEnv({ HOME_VISIT_TTL_SECONDS: '120' }).homeVisitSeconds).toBe(120);
    for (const bad of ['0', '3601', '10m']) expect(() => recommendationSettingsFromEnv({ HOME_VISIT_TTL_SECONDS: bad })).toThrow(/HOME_VISIT_TTL_SECONDS/);
  });
});
