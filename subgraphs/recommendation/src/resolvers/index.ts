import type { Resolvers } from '../__generated__/resolvers-types';
import { HomeRow } from './HomeRow';
import { Profile } from './Profile';
import { Title } from './Title';

export const resolvers: Resolvers = { Profile, HomeRow, Title };
