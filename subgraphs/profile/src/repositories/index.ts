import type { ProfilePrisma } from '../prisma';
import { AccountRepository } from './AccountRepository';
import { MyListRepository } from './MyListRepository';
import { ProfileRepository } from './ProfileRepository';

export interface ProfileRepositories {
  accounts: AccountRepository;
  profiles: ProfileRepository;
  myList: MyListRepository;
}

export function createRepositories(prisma: ProfilePrisma): ProfileRepositories {
  return { accounts: new AccountRepository(prisma), profiles: new ProfileRepository(prisma), myList: new MyListRepository(prisma) };
}
