import type { Resolvers } from '../__generated__/resolvers-types';
import { Account } from './Account';
import { Mutation } from './Mutation';
import { Profile } from './Profile';
import { Query } from './Query';

export const resolvers: Resolvers = { Query, Mutation, Account, Profile };
