import { randomUUID } from 'node:crypto';
import {
  EntityClient, forbidden, graphQLError, isAllowed, notFound, badUserInput, ErrorCode,
  type Cache, type Maturity, type Viewer,
} from '@streaming/platform';
import type { CreateProfileInput, UpdateProfileInput } from '../__generated__/resolvers-types';
import { MAX_PROFILES_PER_ACCOUNT, type ProfileRecord } from '../domain';
import { cacheKeys } from '../cacheKeys';
import type { ProfileLoaders } from '../loaders/createLoaders';
import type { ProfileRepositories } from '../repositories';
import type { ProfileFields } from '../repositories/ProfileRepository';
import { defaultLanguage } from './defaultLanguage';
import { verifyPassword } from './passwords';
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
 *
 * Every write acts for a viewer and only on that viewer's account: another account's profile
 * is NOT_FOUND with the very message an unknown id gets, so ids can't be probed.
 */
export class ProfileService {
  constructor(
    private readonly deps: ProfileServiceDeps,
    private readonly loaders: ProfileLoaders,
  ) {}

  private async requireProfile(viewer: Viewer, id: string): Promise<ProfileRecord> {
    const profile = await this.loaders.profileById.load(id);
    if (!profile || profile.accountId !== viewer.accountId) throw notFound(`profile ${id} does not exist`);
    return profile;
  }

  async addToMyList(viewer: Viewer, profileId: string, titleId: string): Promise<ProfileRecord> {
    const profile = await this.requireProfile(viewer, profileId);
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

  async removeFromMyList(viewer: Viewer, profileId: string, titleId: string): Promise<ProfileRecord> {
    const profile = await this.requireProfile(viewer, profileId);
    await this.deps.repos.myList.remove(profileId, titleId);
    this.loaders.myListByProfileId.clear(profileId);
    return profile;
  }

  async createProfile(viewer: Viewer, input: CreateProfileInput): Promise<ProfileRecord> {
    const account = input.accountId === viewer.accountId ? await this.loaders.accountById.load(input.accountId) : null;
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

  async updateProfile(viewer: Viewer, id: string, input: UpdateProfileInput): Promise<ProfileRecord> {
    const current = await this.requireProfile(viewer, id);
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
    await this.guardKidsProfile(current, changes, input.accountPassword);
    const updated = Object.keys(changes).length === 0 ? current : await this.deps.repos.profiles.update(id, current.accountId, changes);
    if (updated === 'duplicate-name') throw badUserInput(`account ${current.accountId} already has a profile named "${changes.name}"`, 'name');
    await this.forget([cacheKeys.profile(id)], () => this.loaders.profileById.clear(id));
    if (!updated) throw notFound(`profile ${id} does not exist`);
    this.loaders.profileById.prime(id, updated);
    return updated;
  }

  /**
   * Parental controls: a kids profile stays a kids profile, at its rating or below, unless the
   * account's password comes with the change. A child holding the signed-in device can rename
   * their profile, but not lift its limits.
   */
  private async guardKidsProfile(current: ProfileRecord, changes: Partial<ProfileFields>, accountPassword: string | null | undefined): Promise<void> {
    if (!current.isKids) return;
    const leavesKids = changes.isKids === false;
    const raises = changes.maturityRating !== undefined && !isAllowed(changes.maturityRating, current.maturityRating);
    if (!leavesKids && !raises) return;
    if (!accountPassword) {
      throw forbidden(`profile ${current.id} is a kids profile: turning off isKids or raising its rating needs accountPassword, the account's password`);
    }
    const stored = await this.deps.repos.credentials.passwordHashOf(current.accountId);
    if (!stored || !(await verifyPassword(accountPassword, stored))) throw forbidden('accountPassword is not the account\'s password');
  }

  async deleteProfile(viewer: Viewer, id: string): Promise<boolean> {
    const profile = await this.requireProfile(viewer, id);
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
