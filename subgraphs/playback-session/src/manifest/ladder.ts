import type { VideoQuality } from '../__generated__/resolvers-types';

export type { VideoQuality };

/** One encode of a title that a player can switch to; the fields are the GraphQL shape. */
export interface Rendition {
  quality: VideoQuality;
  bitrateKbps: number;
  width: number;
  height: number;
  codec: string;
}

const rung = (quality: VideoQuality, bitrateKbps: number, width: number, height: number, codec: string): Rendition =>
  Object.freeze({ quality, bitrateKbps, width, height, codec });

// H.264 Main for SD and 720p and High for 1080p play on practically every device; UHD is
// HEVC Main10 because only HEVC-capable devices can decode 1440p/2160p at those bitrates.
const AVC_SD = 'avc1.4d401e'; // Main, level 3.0
const AVC_720 = 'avc1.4d401f'; // Main, level 3.1
const AVC_1080 = 'avc1.640028'; // High, level 4.0
const HEVC_1440 = 'hvc1.2.4.L150.B0'; // Main10, level 5.0
const HEVC_2160 = 'hvc1.2.4.L153.B0'; // Main10, level 5.1

/** Every encode, ascending by bitrate. SD is up to 480p, HD up to 1080p, UHD up to 2160p. */
export const BITRATE_LADDER: readonly Rendition[] = Object.freeze([
  rung('SD', 235, 320, 240, AVC_SD),
  rung('SD', 375, 384, 288, AVC_SD),
  rung('SD', 560, 512, 384, AVC_SD),
  rung('SD', 750, 640, 480, AVC_SD),
  rung('SD', 1050, 720, 480, AVC_SD),
  rung('HD', 1750, 1280, 720, AVC_720),
  rung('HD', 2350, 1280, 720, AVC_720),
  rung('HD', 3000, 1920, 1080, AVC_1080),
  rung('HD', 4300, 1920, 1080, AVC_1080),
  rung('HD', 5800, 1920, 1080, AVC_1080),
  rung('UHD', 8000, 2560, 1440, HEVC_1440),
  rung('UHD', 11600, 3840, 2160, HEVC_2160),
  rung('UHD', 16000, 3840, 2160, HEVC_2160),
]);

const RANK: Record<VideoQuality, number> = { SD: 0, HD: 1, UHD: 2 };

/**
 * Share of the measured bandwidth the first rendition may use. Throughput estimates are noisy
 * and the buffer is empty at start, so starting at 70% leaves room for a dip without a stall;
 * the player's ABR climbs from there once the buffer fills.
 */
export const START_HEADROOM = 0.7;

/** Start here when the client sent no bandwidth estimate: 720p, safe on most connections. */
export const DEFAULT_START_CEILING_KBPS = 1750;

/** The ladder a plan may stream, ascending by bitrate: a BASIC (SD) plan never sees HD. */
export function renditionsFor(maxQuality: VideoQuality): Rendition[] {
  return BITRATE_LADDER.filter((r) => RANK[r.quality] <= RANK[maxQuality]);
}

/**
 * The bitrate to start playback at: the highest rendition within bandwidth x START_HEADROOM,
 * never below the lowest rung (a player must start somewhere; 0 or a tiny estimate gets the
 * lowest). Without an estimate, the highest rung at or below DEFAULT_START_CEILING_KBPS.
 * Bandwidth is not validated here: the resolver rejects negative input before calling.
 */
export function chooseStartBitrate(renditions: readonly Rendition[], bandwidthKbps?: number | null): number {
  if (renditions.length === 0) throw new RangeError('chooseStartBitrate needs at least one rendition');
  const bitrates = renditions.map((r) => r.bitrateKbps).sort((a, b) => a - b);
  const budget = bandwidthKbps == null ? DEFAULT_START_CEILING_KBPS : bandwidthKbps * START_HEADROOM;
  const fitting = bitrates.filter((b) => b <= budget);
  return fitting.length > 0 ? fitting[fitting.length - 1] : bitrates[0];
}
