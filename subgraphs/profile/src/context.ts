import type { ProfileLoaders } from './loaders/createLoaders';
import type { ProfileService } from './services/ProfileService';

export interface ProfileContext {
  loaders: ProfileLoaders;
  profiles: ProfileService;
}
