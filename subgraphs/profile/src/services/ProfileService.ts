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
import type { PasswordChecker } from './PasswordChecker';
import { decoyHash } from './passwords';
import { liftsKidsLimits, planProfileUpdate } from './profileUpdates';
import { KIDS_MAX_RATING, validAvatarUrl, validKidsRating, validLanguage, validName } from './validation';

/** What a ProfileService needs that lives as long as the process. */
export interface ProfileServiceDeps {
  repos: ProfileRepositories;
  cache: Cache;
  catalog: EntityClient;
  passwords: PasswordChecker;
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
    /** The request's id, sent with the lookups in the catalog (it logs under the same one). */
    private readonly requestId?: string,
  ) {}

  private async requireProfile(viewer: Viewer, id: string): Promise<ProfileRecord> {
    const profile = await this.loaders.profileById.load(id);
    if (!profile || profile.accountId !== viewer.accountId) throw notFound(`profile ${id} does not exist`);
    return profile;
  }

  async addToMyList(viewer: Viewer, profileId: string, titleId: string): Promise<ProfileRecord> {
    const profile = await this.requireProfile(viewer, profileId);
    // The catalog owns titles; ask it (through its cache) rather than trust any id we're given.
    const [title] = await this.deps.catalog.fetch<{ id: string; maturityRating: Maturity }>('Title', [titleId], 'id maturityRating', { requestId: this.requestId });
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

  async updateProfile(viewer: Viewer, id: string, input: UpdateProfileInput, clientAddress: string): Promise<ProfileRecord> {
    const { accountId } = await this.requireProfile(viewer, id);
    // The decision runs inside the transaction, on the locked row; scrypt has no place in there
    // (it would hold the row, and a pooled connection, for its whole run), so a change that
    // needs the password is refused, the password checked, and the update run again.
    const apply = (passwordChecked: boolean) =>
      this.deps.repos.profiles.update(id, accountId, (current) => {
        const changes = planProfileUpdate(current, input);
        return liftsKidsLimits(current, changes) && !passwordChecked ? 'needs-password' : changes;
      });
    let updated = await apply(false);
    if (updated === 'needs-password') {
      await this.checkAccountPassword(id, accountId, input.accountPassword, clientAddress);
      updated = await apply(true);
    }
    if (updated === 'needs-password') throw new Error('an update with a checked password was refused for want of one');
    if (updated === 'duplicate-name') throw badUserInput(`account ${accountId} already has a profile named "${input.name?.trim()}"`, 'name');
    await this.forget([cacheKeys.profile(id)], () => this.loaders.profileById.clear(id));
    if (!updated) throw notFound(`profile ${id} does not exist`);
    this.loaders.profileById.prime(id, updated);
    return updated;
  }

  /** Lifting a kids profile's limits: the account's password, through the guessing limits. */
  private async checkAccountPassword(profileId: string, accountId: string, accountPassword: string | null | undefined, clientAddress: string): Promise<void> {
    if (!accountPassword) {
      throw forbidden(`profile ${profileId} is a kids profile: turning off isKids or raising its rating needs accountPassword, the account's password`);
    }
    const attempt = { subject: `account-password:${accountId}`, address: clientAddress };
    const ok = await this.deps.passwords.check(attempt, accountPassword, async () => (await this.deps.repos.credentials.passwordHashOf(accountId)) ?? (await decoyHash()));
    if (!ok) throw forbidden('accountPassword is not the account\'s password');
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
