import { chooseEdge } from './edges';
import { chooseStartBitrate, renditionsFor, type Rendition, type VideoQuality } from './ladder';
import { signManifestUrl } from './signing';

export interface BuildManifestInput {
  sessionId: string;
  titleId: string;
  /** The episode of a series; null or absent for a movie. */
  episodeId?: string | null;
  /** Viewer's country, ISO 3166-1 alpha-2. */
  country: string;
  /** The plan's ceiling: BASIC is SD, STANDARD HD, PREMIUM UHD. */
  maxQuality: VideoQuality;
  /** Client's throughput estimate; null or absent when it has none yet. */
  bandwidthKbps?: number | null;
  secret: string;
  ttlSeconds: number;
  now: Date;
}

/** What `startPlayback` returns as `manifest`; field names are the GraphQL ones. */
export interface Manifest {
  url: string;
  cdnEdge: string;
  /** ISO-8601 UTC, the same instant as the URL's `expires`. */
  expiresAt: string;
  startBitrateKbps: number;
  renditions: Rendition[];
}

/** Where a title's manifest lives on the edges: one per movie ('feature') or episode. */
export function manifestPath(titleId: string, episodeId?: string | null): string {
  // Ids are encoded so one holding '/' can't point the signed URL at another title; '.' and
  // '..' survive encoding and the URL parser would resolve them, so those are refused.
  const part = (id: string) => {
    if (id === '' || id === '.' || id === '..') throw new RangeError(`invalid id in manifest path: ${JSON.stringify(id)}`);
    return encodeURIComponent(id);
  };
  return `titles/${part(titleId)}/${episodeId ? part(episodeId) : 'feature'}/manifest.mpd`;
}

/** The playback manifest for a session: which edge, which encodes, where to start, signed. */
export function buildManifest(input: BuildManifestInput): Manifest {
  if (!Number.isInteger(input.ttlSeconds) || input.ttlSeconds <= 0) {
    throw new RangeError(`ttlSeconds must be a positive integer, got ${input.ttlSeconds}`);
  }
  const cdnEdge = chooseEdge(input.country);
  const renditions = renditionsFor(input.maxQuality);
  // Whole seconds, because the URL carries Unix seconds and expiresAt must say the same.
  const expiresAt = new Date((Math.floor(input.now.getTime() / 1000) + input.ttlSeconds) * 1000);
  const url = signManifestUrl({
    sessionId: input.sessionId,
    edge: cdnEdge,
    expiresAt,
    secret: input.secret,
    path: manifestPath(input.titleId, input.episodeId),
  });
  return {
    url,
    cdnEdge,
    expiresAt: expiresAt.toISOString(),
    startBitrateKbps: chooseStartBitrate(renditions, input.bandwidthKbps),
    renditions,
  };
}
