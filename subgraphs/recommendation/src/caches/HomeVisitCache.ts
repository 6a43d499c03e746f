import type { Cache } from '@streaming/platform';
import type { CursorOwner } from '../paging/HomeCursors';
import type { VisitSnapshot } from '../paging/visitSnapshot';

/**
 * Where a home-screen visit's snapshot waits for the visit's next pages: the shared cache (Redis
 * when configured, so any replica serves any page of a visit), for as long as the visit lasts.
 * Keyed by the account, the profile and the visit's id, which is its content's hash: identical
 * visits share one entry, and a snapshot is never read for another profile or account.
 *
 * A visit is written once, when it hands out its first cursor; pages only read it (one GET). A
 * snapshot is a few tens of kilobytes (up to 100 title ids per row), so the shared cache holds
 * about that much per paging visit begun within `HOME_VISIT_TTL_SECONDS`.
 */
export class HomeVisitCache {
  constructor(private readonly cache: Cache, private readonly ttlSeconds: number) {}

  async load(owner: CursorOwner, visitId: string): Promise<VisitSnapshot | null> {
    const [json] = await this.cache.mget([this.key(owner, visitId)]);
    return json ? (JSON.parse(json) as VisitSnapshot) : null;
  }

  /** A serialised visit (serialiseVisit). False when the shared cache could not take it (Redis down): the visit then pages on only while the ranking stays put. */
  save(owner: CursorOwner, visit: { id: string; json: string }): Promise<boolean> {
    return this.cache.replace([[this.key(owner, visit.id), visit.json]], this.ttlSeconds);
  }

  private key(owner: CursorOwner, visitId: string): string {
    return `recommendation:visit:v1:${owner.accountId}:${owner.profileId}:${visitId}`;
  }
}
