import type { ProfilePrisma } from '../prisma';
import { AccountRepository } from './AccountRepository';
import { CredentialRepository } from './CredentialRepository';
import { MyListRepository } from './MyListRepository';
import { ProfileRepository } from './ProfileRepository';
import { RefreshTokenRepository } from './RefreshTokenRepository';

export interface ProfileRepositories {
  accounts: AccountRepository;
  profiles: ProfileRepository;
  myList: MyListRepository;
  credentials: CredentialRepository;
  refreshTokens: RefreshTokenRepository;
}

export function createRepositories(prisma: ProfilePrisma): ProfileRepositories {
  return {
    accounts: new AccountRepository(prisma), profiles: new ProfileRepository(prisma), myList: new MyListRepository(prisma),
    credentials: new CredentialRepository(prisma), refreshTokens: new RefreshTokenRepository(prisma),
  };
}
