import type { Resolvers } from '../__generated__/resolvers-types';
import { Episode } from './Episode';
import { Mutation } from './Mutation';
import { PlaybackSession } from './PlaybackSession';
import { Query } from './Query';
import { Profile } from './Profile';
import { Title } from './Title';
import { ViewingProgress } from './ViewingProgress';

export const resolvers: Resolvers = { Query, Mutation, Title, Episode, Profile, ViewingProgress, PlaybackSession };
