import type { Viewer } from '@streaming/platform';
import type { ProfileLoaders } from './loaders/createLoaders';
import type { ProfileService } from './services/ProfileService';
import type { SessionService } from './services/SessionService';

export interface ProfileContext {
  loaders: ProfileLoaders;
  profiles: ProfileService;
  sessions: SessionService;
  /** Null for an anonymous request: only signIn and refreshSession answer it. */
  viewer: Viewer | null;
  /** The client's address (forwarded by the gateway): what password-guessing limits count against. */
  clientAddress: string;
}
