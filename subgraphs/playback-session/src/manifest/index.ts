/** Playback manifests: bitrate ladder, CDN edge choice and signed URLs, without I/O. */
export { BITRATE_LADDER, chooseStartBitrate, renditionsFor, START_HEADROOM, type Rendition, type VideoQuality } from './ladder';
export { chooseEdge, GLOBAL_DEFAULT_EDGE } from './edges';
export { signManifestUrl, verifyManifestUrl, type ManifestUrlVerification, type SignManifestUrlInput } from './signing';
export { buildManifest, manifestPath, type BuildManifestInput, type Manifest } from './buildManifest';
