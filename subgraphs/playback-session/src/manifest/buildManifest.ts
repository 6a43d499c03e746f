import { chooseEdge } from './edges';
import { chooseStartBitrate, renditionsFor, type Rendition, type VideoQuality } from './ladder';
import { signPlaybackToken } from './playbackToken';

/** Who and what a manifest's license token is for. */
export interface LicenseSubject {
  sessionId: string;
  accountId: string;
  /** The plan's concurrent streams. */
  streamLimit: number;
  titleId: string;
  /** The episode of a series; null or absent for a movie. */
  episodeId?: string | null;
}

export interface LicenseInput extends LicenseSubject {
  /** Edge host the token is good for. */
  edge: string;
  secret: string;
  ttlSeconds: number;
  now: Date;
}

export interface BuildManifestInput extends LicenseSubject {
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

/** The part of a manifest that expires and is renewed: its URL and license token. */
export interface License {
  /** The manifest on the edge, with the token as its `token` query parameter. */
  url: string;
  token: string;
  /** ISO-8601 UTC, the token's `exp`. */
  expiresAt: string;
}

/** What `startPlayback` returns as `manifest`; field names are the GraphQL ones. */
export interface Manifest extends License {
  cdnEdge: string;
  startBitrateKbps: number;
  renditions: Rendition[];
}

/** Where a title's files live on the edges: one directory per movie ('feature') or episode. */
export function contentPrefix(titleId: string, episodeId?: string | null): string {
  // Ids are encoded so one holding '/' can't point the token at another title; '.' and '..'
  // survive encoding and the URL parser would resolve them, so those are refused.
  const part = (id: string) => {
    if (id === '' || id === '.' || id === '..') throw new RangeError(`invalid id in manifest path: ${JSON.stringify(id)}`);
    return encodeURIComponent(id);
  };
  return `titles/${part(titleId)}/${episodeId ? part(episodeId) : 'feature'}/`;
}

/** Where a title's manifest lives on the edges. */
export function manifestPath(titleId: string, episodeId?: string | null): string {
  return `${contentPrefix(titleId, episodeId)}manifest.mpd`;
}

/**
 * A license for a session: a token good for the title's files on one edge for `ttlSeconds`, and
 * the manifest URL carrying it. Issued at start and again with every heartbeat.
 */
export function issueLicense(input: LicenseInput): License {
  if (!Number.isInteger(input.ttlSeconds) || input.ttlSeconds <= 0) {
    throw new RangeError(`ttlSeconds must be a positive integer, got ${input.ttlSeconds}`);
  }
  // Whole seconds, because the token carries Unix seconds and expiresAt must say the same.
  const issuedAt = new Date(Math.floor(input.now.getTime() / 1000) * 1000);
  const expiresAt = new Date(issuedAt.getTime() + input.ttlSeconds * 1000);
  const pathPrefix = contentPrefix(input.titleId, input.episodeId);
  const token = signPlaybackToken({
    sessionId: input.sessionId, accountId: input.accountId, streamLimit: input.streamLimit,
    edge: input.edge, pathPrefix, issuedAt, expiresAt,
  }, input.secret);
  const url = new URL(`https://${input.edge}`);
  url.pathname = `${pathPrefix}manifest.mpd`;
  url.search = new URLSearchParams({ token }).toString();
  return { url: url.toString(), token, expiresAt: expiresAt.toISOString() };
}

/** The playback manifest for a session: which edge, which encodes, where to start, licensed. */
export function buildManifest(input: BuildManifestInput): Manifest {
  const cdnEdge = chooseEdge(input.country);
  const renditions = renditionsFor(input.maxQuality);
  return {
    ...issueLicense({ ...input, edge: cdnEdge }),
    cdnEdge,
    startBitrateKbps: chooseStartBitrate(renditions, input.bandwidthKbps),
    renditions,
  };
}
