import { isAllowed, type Maturity } from '@streaming/platform';
import type { SessionRecord } from '../../subgraphs/playback-session/src/sessions/SessionRecord';
import { dataset } from './expectations';

/** Seeded accounts of a plan, with their profiles, for tests that need many fresh slots. */
export function accountsOnPlan(tier: 'BASIC' | 'STANDARD' | 'PREMIUM'): { id: string; profiles: string[] }[] {
  return dataset.accounts
    .filter((a) => a.planTier === tier && !a.id.startsWith('demo-'))
    .map((a) => ({ id: a.id, profiles: dataset.profiles.filter((p) => p.accountId === a.id).map((p) => p.id) }));
}

/** Movies every profile may watch (rated ALL), in a fixed order. */
export const familyMovies = dataset.titles.filter((t) => t.kind === 'MOVIE' && t.maturityRating === 'ALL');

export function moviesFor(rating: Maturity) {
  return dataset.titles.filter((t) => t.kind === 'MOVIE' && isAllowed(t.maturityRating, rating));
}

/** A series (rated ALL) with at least two episodes in its first season. */
export const familySeries = dataset.titles.find((t) => t.kind === 'SERIES' && t.maturityRating === 'ALL' && t.seasons[0].episodes.length >= 2)!;

export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs: number): Promise<{ value: T; elapsedMs: number }> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (accept(value)) return { value, elapsedMs: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms; last value: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A session record as the session stores keep it, for tests of a store itself (not through the API). */
export function sessionRecord(id: string, now: number, overrides: Partial<SessionRecord> = {}): SessionRecord {
  const at = new Date(now).toISOString();
  return {
    id, accountId: `acc-${id}`, profileId: `profile-${id}`, country: 'US', titleId: `title-${id}`, episodeId: null,
    nextEpisodeId: null, nextEpisodeRuntime: null, deviceId: `device-${id}`, state: 'PLAYING',
    positionSeconds: 0, durationSeconds: 3_600, startedAt: at, lastHeartbeatAt: at, expiresAt: now + 90_000, streamLimit: 1,
    manifest: { url: 'https://edge.example/m', token: 't', cdnEdge: 'edge.example', expiresAt: at, startBitrateKbps: 235, renditions: [] },
    ...overrides,
  };
}
