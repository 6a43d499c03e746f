import type { PlaybackLoaders } from './loaders/createLoaders';

export interface PlaybackContext {
  loaders: PlaybackLoaders;
}
