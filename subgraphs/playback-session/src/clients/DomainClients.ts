import type { EntityClient, Maturity } from '@streaming/platform';
import type { VideoQuality } from '../manifest';

/** What playback needs to know about a viewer: owned by the profile subgraph. */
export interface PlaybackProfile {
  id: string;
  maturityRating: Maturity;
  account: { id: string; country: string; plan: { maxConcurrentStreams: number; maxQuality: VideoQuality } };
}

/** What playback needs to know about a title: owned by the catalog subgraph. */
export interface PlaybackTitle {
  id: string;
  kind: 'MOVIE' | 'SERIES';
  maturityRating: Maturity;
  runtimeSeconds: number;
  seasons: { number: number; episodes: { id: string; runtimeSeconds: number }[] }[];
}

/**
 * Playback asks the owners, at the moment a stream starts, rather than keeping copies: a plan
 * upgrade or a lowered rating applies to the very next start, and there is no projection to
 * keep in sync. It is one `_entities` call to each owner (served from their caches), made once
 * per start; a heartbeat (the license renewal) asks the profile's owner again for the plan, so a
 * downgrade reaches streams already playing.
 */
export class DomainClients {
  constructor(
    private readonly profiles: EntityClient,
    private readonly catalog: EntityClient,
  ) {}

  /** With the viewer's credential: the profile subgraph answers null for another account's profile. */
  async profile(id: string, credential: string, requestId?: string): Promise<PlaybackProfile | null> {
    const [profile] = await this.profiles.fetch<PlaybackProfile>('Profile', [id],
      'id maturityRating account { id country plan { maxConcurrentStreams maxQuality } }', { credential, requestId });
    return profile;
  }

  async title(id: string, requestId?: string): Promise<PlaybackTitle | null> {
    const [title] = await this.catalog.fetch<PlaybackTitle>('Title', [id],
      'id kind maturityRating runtimeSeconds seasons { number episodes { id runtimeSeconds } }', { requestId });
    return title;
  }

  /** The series an episode belongs to, or null for an unknown episode. */
  async seriesOfEpisode(id: string, requestId?: string): Promise<string | null> {
    const [episode] = await this.catalog.fetch<{ title: { id: string } }>('Episode', [id], 'title { id }', { requestId });
    return episode?.title.id ?? null;
  }

  async close(): Promise<void> {
    await Promise.all([this.profiles.close(), this.catalog.close()]);
  }
}
