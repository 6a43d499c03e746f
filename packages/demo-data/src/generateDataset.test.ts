import { isAllowed, maturityRank } from '@streaming/platform';
import { generateDataset } from './generateDataset';

describe('generateDataset', () => {
  const full = generateDataset();

  it('is deterministic', () => {
    const again = generateDataset();
    expect(again.titles.slice(0, 50)).toEqual(full.titles.slice(0, 50));
    expect(again.progress.length).toBe(full.progress.length);
    expect(again.profiles.map((p) => p.maturityRating)).toEqual(full.profiles.map((p) => p.maturityRating));
  });

  it('is the size the product promises at scale 1', () => {
    expect(full.titles.length).toBeGreaterThanOrEqual(2000);
    expect(full.titles.some((t) => t.kind === 'SERIES' && t.seasons.length > 1)).toBe(true);
    expect(full.genres.length).toBeGreaterThanOrEqual(25);
    expect(full.accounts.length).toBeGreaterThanOrEqual(1000);
    expect(full.profiles.some((p) => p.isKids)).toBe(true);
    const perAccount = new Map<string, number>();
    for (const p of full.profiles) perAccount.set(p.accountId, (perAccount.get(p.accountId) ?? 0) + 1);
    expect(Math.max(...perAccount.values())).toBeLessThanOrEqual(5);
    expect(new Set(full.titles.map((t) => t.name)).size).toBe(full.titles.length);
  });

  it('has the demo fixtures the README and UI teams start from', () => {
    const plan = (id: string) => full.accounts.find((a) => a.id === id)?.planTier;
    expect([plan('demo-basic'), plan('demo-standard'), plan('demo-premium')]).toEqual(['BASIC', 'STANDARD', 'PREMIUM']);
    const profilesOf = (id: string) => full.profiles.filter((p) => p.accountId === id);
    expect(profilesOf('demo-premium')).toHaveLength(5);
    expect(profilesOf('demo-basic').length).toBeLessThan(5);
    expect(profilesOf('demo-standard').length).toBeLessThan(5);
    const kids = profilesOf('demo-premium').filter((p) => p.isKids);
    expect(kids.map((k) => k.id)).toEqual(['demo-premium-kids']);
    expect(maturityRank(kids[0].maturityRating)).toBeLessThanOrEqual(maturityRank('SEVEN_PLUS'));
    const titles = new Map(full.titles.map((t) => [t.id, t]));
    for (const profile of full.profiles.filter((p) => p.accountId.startsWith('demo-'))) {
      const progress = full.progress.filter((p) => p.profileId === profile.id);
      expect(new Set(progress.map((p) => p.titleId)).size).toBeGreaterThanOrEqual(5);
      expect(progress.some((p) => !p.completed)).toBe(true);
      const list = full.myList.filter((m) => m.profileId === profile.id);
      expect(list.length).toBeGreaterThanOrEqual(3);
      for (const id of [...progress.map((p) => p.titleId), ...list.map((m) => m.titleId)]) {
        expect(isAllowed(titles.get(id)!.maturityRating, profile.maturityRating)).toBe(true);
      }
    }
  });
});
