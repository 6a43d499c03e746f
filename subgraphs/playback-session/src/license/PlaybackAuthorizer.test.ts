import { signPlaybackToken, type PlaybackClaims } from '../manifest';
import type { LicenseState, SessionStore } from '../sessions/SessionRecord';
import { PlaybackAuthorizer } from './PlaybackAuthorizer';

const secret = 'test-secret';
const now = new Date('2026-03-01T12:01:00.000Z');
const claims: PlaybackClaims = {
  sessionId: 'sess-1', accountId: 'acc-1', streamLimit: 1, edge: 'us-east-1.oca.streaming.example', pathPrefix: 'titles/t1/feature/',
  issuedAt: new Date('2026-03-01T12:00:00.000Z'), expiresAt: new Date('2026-03-01T12:05:00.000Z'),
};
const token = signPlaybackToken(claims, secret);

/** A session store that answers one state and records what it was asked. */
function storeAnswering(state: LicenseState) {
  const asked: unknown[][] = [];
  const store = { licenseState: async (...args: unknown[]) => (asked.push(args), state) } as unknown as SessionStore;
  return { store, asked };
}

describe('PlaybackAuthorizer', () => {
  it("allows a live session's token for its edge and title, asking the store once", async () => {
    const { store, asked } = storeAnswering('live');
    const authorizer = new PlaybackAuthorizer(store, secret, () => now);

    const decision = await authorizer.authorize({ token, host: 'US-EAST-1.oca.streaming.example', path: '/titles/t1/feature/video/seg-1.m4s' });

    expect(decision).toEqual({ allow: true, sessionId: 'sess-1', expiresAt: '2026-03-01T12:05:00.000Z' });
    expect(asked).toEqual([['sess-1', 'acc-1', 1]]);
  });

  it.each([['stopped', 'stopped'], ['replaced', 'replaced'], ['expired', 'expired'], ['over-limit', 'over-limit'], ['unknown', 'unknown-session']] as const)(
    'denies a token whose session is %s', async (state, reason) => {
      const authorizer = new PlaybackAuthorizer(storeAnswering(state).store, secret, () => now);
      expect(await authorizer.authorize({ token })).toEqual({ allow: false, reason });
    });

  it('denies a bad, forged, expired or misdirected token without touching the session store', async () => {
    const { store, asked } = storeAnswering('live');
    const authorizer = new PlaybackAuthorizer(store, secret, () => now);
    const cases: [Parameters<PlaybackAuthorizer['authorize']>[0], string][] = [
      [{ token: 'nonsense' }, 'malformed'],
      [{ token: signPlaybackToken(claims, 'someone-elses-secret') }, 'bad-signature'],
      [{ token: signPlaybackToken({ ...claims, expiresAt: new Date('2026-03-01T12:01:00.000Z') }, secret) }, 'token-expired'],
      [{ token, host: 'eu-west-1.oca.streaming.example' }, 'wrong-edge'],
      [{ token, path: '/titles/t2/feature/manifest.mpd' }, 'wrong-path'],
    ];
    for (const [request, reason] of cases) expect(await authorizer.authorize(request)).toEqual({ allow: false, reason });
    expect(asked).toEqual([]);
  });
});
