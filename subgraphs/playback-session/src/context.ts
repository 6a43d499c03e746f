import type { PlaybackLoaders } from './loaders/createLoaders';
import type { PlaybackService } from './services/PlaybackService';

export interface PlaybackContext {
  loaders: PlaybackLoaders;
  playback: PlaybackService;
}
