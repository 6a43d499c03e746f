import DataLoader from 'dataloader';
import { growingLru } from '../cache/growingLru';
import type { EntityClient } from '../graphql/EntityClient';
import { requireViewer, type Viewer } from './Viewer';

/**
 * Whether profiles belong to the viewer, for subgraphs that keep data per profile but don't
 * own profiles (playback's progress and sessions, recommendation's rows). The profile subgraph
 * answers, with the viewer's own credential: it returns a profile only to its account, so a
 * null means "not yours or not there", and both are treated the same.
 *
 * A profile never moves to another account, so a confirmed owner is remembered for good (in a
 * bounded LRU): a home screen with its hundreds of progress fields costs no extra hop once the
 * profile has been seen. Refusals are not remembered (the profile may be created in a moment).
 */
export class ProfileOwnership {
  private readonly owners = growingLru<string, string>(200_000);

  constructor(private readonly profiles: EntityClient) {}

  /** Per request: profile id -> owned by this viewer. Anonymous requests get UNAUTHENTICATED. */
  loader(viewer: Viewer | null, requestId?: string): DataLoader<string, boolean> {
    return new DataLoader(async (profileIds) => {
      const who = requireViewer(viewer, 'this profile');
      const unknown = profileIds.filter((id) => this.owners.get(id) === undefined);
      if (unknown.length > 0) {
        const found = await this.profiles.fetch<{ id: string; account: { id: string } }>('Profile', unknown, 'id account { id }', { credential: who.credential, requestId });
        for (const profile of found) if (profile) this.owners.set(profile.id, profile.account.id);
      }
      return profileIds.map((id) => this.owners.get(id) === who.accountId);
    });
  }
}
