/** Playback manifests: bitrate ladder, CDN edge choice and license tokens, without I/O. */
export { BITRATE_LADDER, chooseStartBitrate, renditionsFor, START_HEADROOM, type Rendition, type VideoQuality } from './ladder';
export { chooseEdge, GLOBAL_DEFAULT_EDGE } from './edges';
export { coversPath, signPlaybackToken, verifyPlaybackToken, type PlaybackClaims, type PlaybackTokenVerification } from './playbackToken';
export {
  buildManifest, contentPrefix, issueLicense, manifestPath, type BuildManifestInput, type License, type LicenseInput, type LicenseSubject, type Manifest,
} from './buildManifest';
