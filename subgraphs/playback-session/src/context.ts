import type DataLoader from 'dataloader';
import type { Viewer } from '@streaming/platform';
import type { PlaybackLoaders } from './loaders/createLoaders';
import type { PlaybackService } from './services/PlaybackService';

export interface PlaybackContext {
  loaders: PlaybackLoaders;
  playback: PlaybackService;
  viewer: Viewer | null;
  /** Profile id -> whether it is one of the viewer's profiles (UNAUTHENTICATED when anonymous). */
  ownsProfile: DataLoader<string, boolean>;
  /** This request's id, for the calls playback makes to other subgraphs. */
  requestId?: string;
}
