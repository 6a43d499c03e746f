import type { Resolvers } from '../__generated__/resolvers-types';
import { Episode } from './Episode';
import { Genre } from './Genre';
import { Profile } from './Profile';
import { Query } from './Query';
import { Title } from './Title';

export const resolvers: Resolvers = {
  Query,
  Title,
  Episode,
  Genre,
  Profile,
  Season: {},
};
