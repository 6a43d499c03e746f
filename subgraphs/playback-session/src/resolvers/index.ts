import type { Resolvers } from '../__generated__/resolvers-types';
import { Episode } from './Episode';
import { Profile } from './Profile';
import { Title } from './Title';
import { ViewingProgress } from './ViewingProgress';

export const resolvers: Resolvers = { Title, Episode, Profile, ViewingProgress };
