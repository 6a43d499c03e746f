import { randomUUID } from 'node:crypto';
import {
  EntityClient, forbidden, graphQLError, isAllowed, notFound, badUserInput, ErrorCode,
  type Cache, type Maturity,
} from '@streaming/shared';
import type { CreateProfileInput, UpdateProfileInput } from '../__generated__/resolvers-types';
import { MAX_PROFILES_PER_ACCOUNT, type ProfileRecord } from '../domain';
import { cacheKeys } from '../cacheKeys';
import type { ProfileLoaders } from '../loaders/createLoaders';
import type { ProfileRepositories } from '../repositories';
import type { ProfileFields } from '../repositories/ProfileRepository';
import { defaultLanguage } from './defaultLanguage';
import { KIDS_MAX_RATING, validAvatarUrl, validKidsRating, validLanguage, validName } from './validation';

/** What a ProfileService needs that lives as long as the process. */
export interface ProfileServiceDeps {
  repos: ProfileRepositories;
  cache: Cache;
  catalog: EntityClient;
}

/**
 * Every write of the profile subgraph goes through here, and so does every invalidation: a
 * write changes the store, then removes what it made stale from the shared cache and from this
 * request's loaders, so the mutation's own response and the very next request both see it.
 * One per request (the context builds it), over the process-wide deps and that request's loaders.
 */
export class ProfileService {
  constructor(
    private readonly deps: ProfileServiceDeps,
    private readonly loaders: ProfileLoaders,
  ) {}

  private async requireProfile(id: string): Promise<ProfileRecord> {
    const profile = await this.loaders.profileById.load(id);
    if (!profile) throw notFound(`profile ${id} does not exist`);
    return profile;
  }

  async addToMyList(profileId: string, titleId: string): Promise<ProfileRecord> {
    const profile = await this.requireProfile(profileId);
    // The catalog owns titles; ask it (through its cache) rather than trust any id we're given.
    const [title] = await this.deps.catalog.fetch<{ id: string; maturityRating: Maturity }>('Title', [titleId], 'id maturityRating');
    if (!title) throw notFound(`title ${titleId} does not exist`);
    if (!isAllowed(title.maturityRating, profile.maturityRating)) {
      throw forbidden(`title ${titleId} is rated ${title.maturityRating}, above profile ${profileId}'s ${profile.maturityRating}`);
    }
    await this.deps.repos.myList.add(profileId, titleId);
    this.loaders.myListByProfileId.clear(profileId);
    return profile;
  }

  async removeFromMyList(profileId: string, titleId: string): Promise<ProfileRecord> {
    const profile = await this.requireProfile(profileId);
    await this.deps.repos.myList.remove(profileId, titleId);
    this.loaders.myListByProfileId.clear(profileId);
    return profile;
  }

  async createProfile(input: CreateProfileInput): Promise<ProfileRecord> {
    const account = await this.loaders.accountById.load(input.accountId);
    if (!account) throw notFound(`account ${input.accountId} does not exist`);
    const isKids = input.isKids ?? false;
    const fields: ProfileFields = {
      name: validName(input.name),
      isKids,
      maturityRating: validKidsRating(isKids, input.maturityRating ?? (isKids ? KIDS_MAX_RATING : 'EIGHTEEN_PLUS')),
      language: validLanguage(input.language ?? defaultLanguage(account.country)),
      avatarUrl: validAvatarUrl(input.avatarUrl ?? `https://assets.streaming.example/avatars/${isKids ? 'kids' : 1 + Math.floor(Math.random() * 24)}.png`),
    };
    const outcome = await this.deps.repos.profiles.create(`p-${randomUUID()}`, account.id, fields, MAX_PROFILES_PER_ACCOUNT);
    switch (outcome.kind) {
      case 'account-missing':
        throw notFound(`account ${input.accountId} does not exist`);
      case 'limit-reached':
        throw graphQLError(
          ErrorCode.PROFILE_LIMIT_REACHED,
          `account ${account.id} already has ${outcome.count} profiles, the most an account can hold; delete one to make room`,
          { maxProfiles: MAX_PROFILES_PER_ACCOUNT },
        );
      case 'duplicate-name':
        throw badUserInput(`account ${account.id} already has a profile named "${fields.name}"`, 'name');
      case 'created':
        await this.forget([cacheKeys.accountProfiles(account.id)], () => this.loaders.profileIdsByAccountId.clear(account.id));
        return outcome.profile;
    }
  }

  async updateProfile(id: string, input: UpdateProfileInput): Promise<ProfileRecord> {
    const current = await this.requireProfile(id);
    const changes: Partial<ProfileFields> = {};
    if (input.name != null) changes.name = validName(input.name);
    if (input.avatarUrl != null) changes.avatarUrl = validAvatarUrl(input.avatarUrl);
    if (input.language != null) changes.language = validLanguage(input.language);
    if (input.isKids != null) changes.isKids = input.isKids;
    const isKids = changes.isKids ?? current.isKids;
    if (input.maturityRating != null) {
      changes.maturityRating = validKidsRating(isKids, input.maturityRating);
    } else if (isKids && !isAllowed(current.maturityRating, KIDS_MAX_RATING)) {
      // Turning a profile into a kids profile lowers its rating rather than failing.
      changes.maturityRating = KIDS_MAX_RATING;
    }
    const updated = Object.keys(changes).length === 0 ? current : await this.deps.repos.profiles.update(id, current.accountId, changes);
    if (updated === 'duplicate-name') throw badUserInput(`account ${current.accountId} already has a profile named "${changes.name}"`, 'name');
    await this.forget([cacheKeys.profile(id)], () => this.loaders.profileById.clear(id));
    if (!updated) throw notFound(`profile ${id} does not exist`);
    this.loaders.profileById.prime(id, updated);
    return updated;
  }

  async deleteProfile(id: string): Promise<boolean> {
    const profile = await this.requireProfile(id);
    const outcome = await this.deps.repos.profiles.deleteUnlessLast(id, profile.accountId);
    await this.forget([cacheKeys.profile(id), cacheKeys.accountProfiles(profile.accountId)], () => {
      this.loaders.profileById.clear(id);
      this.loaders.profileIdsByAccountId.clear(profile.accountId);
      this.loaders.myListByProfileId.clear(id);
    });
    if (outcome === 'missing') throw notFound(`profile ${id} does not exist`);
    if (outcome === 'last') throw forbidden(`profile ${id} is the only profile of account ${profile.accountId}; an account keeps at least one`);
    return true;
  }

  /** After a write: drop what it made stale from the shared cache and this request's loaders. */
  private async forget(keys: string[], clearLoaders: () => void): Promise<void> {
    await this.deps.cache.del(keys);
    clearLoaders();
  }
}
