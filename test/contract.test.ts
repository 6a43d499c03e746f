import { parse, validate } from 'graphql';
import { isAllowed, maturityRank, type Maturity } from '@streaming/platform';
import { composeApiSchema } from '../gateway/src/composeSupergraph';
import { startTestSupergraph, loadOperations, type TestSupergraph } from './support/supergraph';
import { dataset, expectedContinueWatching, expectedMyList, ratingOf, titleById } from './support/expectations';
import { moreRows, scrollWholeVisit } from './support/homePaging';

/**
 * The client contract: every committed operation validates against the composed supergraph and
 * returns the right data through the real gateway, on Postgres and Redis.
 */
let sg: TestSupergraph;
beforeAll(async () => {
  sg = await startTestSupergraph();
});
afterAll(async () => {
  await sg?.stop();
});

describe('committed operations', () => {
  it('each validates against the composed supergraph', () => {
    const apiSchema = composeApiSchema();
    const operations = loadOperations();
    expect(Object.keys(operations).sort()).toEqual([
      'ActiveSessions', 'AddToMyList', 'CreateProfile', 'DeleteProfile', 'Heartbeat', 'HomeScreen', 'HomeScreenDeferred', 'HomeScreenMoreRows', 'ProfilePicker',
      'PublicTitleDetails', 'RefreshSession', 'RemoveFromMyList', 'RenewLicense', 'RowMoreItems', 'Search', 'SignIn', 'SignOut', 'StartPlayback', 'StopPlayback', 'TitleDetails',
      'UpdateProfile', 'Viewer',
    ]);
    for (const [name, text] of Object.entries(operations)) {
      expect({ name, errors: validate(apiSchema, parse(text)).map((e) => e.message) }).toEqual({ name, errors: [] });
    }
  });
});

describe('ProfilePicker', () => {
  it('shows each demo account with its plan and profiles', async () => {
    const plans = { 'demo-basic': ['BASIC', 1, 'SD'], 'demo-standard': ['STANDARD', 2, 'HD'], 'demo-premium': ['PREMIUM', 4, 'UHD'] };
    for (const [accountId, [tier, streams, quality]] of Object.entries(plans)) {
      const res = await sg.run('ProfilePicker', { accountId });
      expect(res.errors).toBeUndefined();
      const account = res.data!.account;
      expect(account.id).toBe(accountId);
      expect(account.email).toBe(`${accountId}@example.com`);
      expect(account.plan).toEqual({ tier, maxConcurrentStreams: streams, maxQuality: quality });
      const seeded = dataset.profiles.filter((p) => p.accountId === accountId);
      expect(account.profiles.map((p: { id: string }) => p.id)).toEqual(seeded.map((p) => p.id));
      expect(account.profiles[0]).toEqual({
        id: seeded[0].id, name: seeded[0].name, avatarUrl: seeded[0].avatarUrl, isKids: seeded[0].isKids,
        maturityRating: seeded[0].maturityRating, language: seeded[0].language,
      });
    }
  });

  it('gives demo-premium five profiles, one of them for kids rated at most SEVEN_PLUS', async () => {
    const res = await sg.run('ProfilePicker', { accountId: 'demo-premium' });
    const profiles = res.data!.account.profiles as { isKids: boolean; maturityRating: Maturity }[];
    expect(profiles).toHaveLength(5);
    const kids = profiles.filter((p) => p.isKids);
    expect(kids).toHaveLength(1);
    expect(maturityRank(kids[0].maturityRating)).toBeLessThanOrEqual(maturityRank('SEVEN_PLUS'));
  });

  it('returns null, not an error, for an unknown account', async () => {
    const res = await sg.run('ProfilePicker', { accountId: 'no-such-account' });
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ account: null });
  });
});

type Row = { id: string; kind: string; title: string; items: Item[] };
type Item = {
  id: string; name: string; kind: string; maturityRating: Maturity; releaseYear: number;
  artwork: { url: string; width: number; height: number } | null; genres: { id: string; name: string }[];
  progress: { positionSeconds: number; durationSeconds: number; completed: boolean } | null;
};

async function homeRows(profileId: string, rows = 10, itemsPerRow = 20): Promise<Row[]> {
  const res = await sg.run('HomeScreen', { profileId, rows, itemsPerRow });
  expect(res.errors).toBeUndefined();
  return res.data!.profile.homeRows;
}

describe('HomeScreen', () => {
  it('draws rows of complete tiles: distinct rows, no title twice in a row, within the limits', async () => {
    const rows = await homeRows('demo-premium-1', 10, 20);
    expect(rows).toHaveLength(10);
    expect(new Set(rows.map((r) => r.id)).size).toBe(10);
    for (const row of rows) {
      expect(row.items.length).toBeGreaterThan(0);
      expect(row.items.length).toBeLessThanOrEqual(20);
      expect(new Set(row.items.map((i) => i.id)).size).toBe(row.items.length);
      for (const item of row.items) {
        const seeded = titleById.get(item.id)!;
        expect({ name: item.name, kind: item.kind, maturityRating: item.maturityRating, releaseYear: item.releaseYear })
          .toEqual({ name: seeded.name, kind: seeded.kind, maturityRating: seeded.maturityRating, releaseYear: seeded.releaseYear });
        expect(item.artwork).toEqual({ url: `https://images.streaming.example/titles/${item.id}/boxart.jpg`, width: 341, height: 192 });
        expect(item.genres.map((g) => g.id)).toEqual(seeded.genreIds);
      }
    }
    expect(rows.map((r) => r.kind).slice(0, 4)).toEqual(['CONTINUE_WATCHING', 'MY_LIST', 'TRENDING', 'TOP_10']);
    expect(rows.find((r) => r.kind === 'TOP_10')!.items.length).toBeLessThanOrEqual(10);
    expect(rows.find((r) => r.kind === 'BECAUSE_YOU_WATCHED')!.title).toMatch(/^Because you watched .+/);
  });

  it('continues unfinished titles, most recent first, each with a progress bar', async () => {
    for (const profileId of ['demo-premium-1', 'demo-standard-2', 'demo-basic-1']) {
      const rows = await homeRows(profileId, 10, 20);
      const row = rows.find((r) => r.kind === 'CONTINUE_WATCHING')!;
      expect(row.items.map((i) => i.id)).toEqual(expectedContinueWatching(profileId).slice(0, 20));
      for (const item of row.items) {
        expect(item.progress).not.toBeNull();
        expect(item.progress!.completed).toBe(false);
        expect(item.progress!.positionSeconds).toBeLessThan(item.progress!.durationSeconds);
      }
    }
  });

  it('shows My List as it is, newest first', async () => {
    const rows = await homeRows('demo-standard-1', 10, 20);
    expect(rows.find((r) => r.kind === 'MY_LIST')!.items.map((i) => i.id)).toEqual(expectedMyList('demo-standard-1').slice(0, 20));
  });

  it('never shows a kids profile anything above its rating, in any row of the largest home screen', async () => {
    const rating = ratingOf('demo-premium-kids');
    const rows = await homeRows('demo-premium-kids', 50, 100);
    expect(rows.length).toBeGreaterThan(5);
    const items = rows.flatMap((r) => r.items);
    expect(items.length).toBeGreaterThan(100);
    expect(items.filter((i) => !isAllowed(i.maturityRating, rating))).toEqual([]);
  });

  it('gives null for an unknown profile', async () => {
    const res = await sg.run('HomeScreen', { profileId: 'nobody' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ profile: null });
  });
});

describe('HomeScreenMoreRows and RowMoreItems', () => {
  const run = (operation: string, variables: Record<string, unknown>) => sg.run(operation, variables);

  it('begin a visit with the rows HomeScreen shows, plus where to continue', async () => {
    const profileId = 'demo-premium-1';
    const screen = await sg.run('HomeScreen', { profileId, rows: 4, itemsPerRow: 6 });
    const first = await sg.run('HomeScreenMoreRows', { profileId, rows: 4, itemsPerRow: 6 });
    expect(first.errors).toBeUndefined();
    const rows = first.data!.profile.homeRows as (Row & { cursor: string; hasMoreRows: boolean; itemsPageInfo: { hasNextPage: boolean; endCursor: string } })[];
    expect(rows.map(({ cursor: _c, hasMoreRows: _h, itemsPageInfo: _p, ...row }) => row)).toEqual(screen.data!.profile.homeRows);
    const whole = await homeRows(profileId, 50, 100);
    for (const [i, row] of rows.entries()) {
      expect(row).toMatchObject({ cursor: expect.any(String), hasMoreRows: true, itemsPageInfo: { hasNextPage: whole[i].items.length > 6, endCursor: expect.any(String) } });
    }
  });

  it.each(['demo-premium-1', 'demo-premium-kids'])('page %s down and across through exactly the rows and titles of one large HomeScreen', async (profileId) => {
    const whole = await homeRows(profileId, 50, 100);
    const scrolled = await scrollWholeVisit(run, profileId, { rows: 7, itemsPerRow: 9, itemsPage: 40 });
    // A visit holds every row (a HomeScreen at most 50); each row up to 100 titles.
    expect(scrolled.slice(0, 50).map((r) => r.id)).toEqual(whole.map((r) => r.id));
    if (whole.length < 50) expect(scrolled).toHaveLength(whole.length);
    for (const [i, row] of whole.entries()) expect(scrolled[i].itemIds).toEqual(row.items.map((t) => t.id));
  });

  it('complete the tiles of a later page as HomeScreen completes them', async () => {
    const profileId = 'demo-standard-1';
    const trending = (await moreRows(run, profileId, null, 3, 5)).find((r) => r.kind === 'TRENDING')!;
    const res = await sg.run('RowMoreItems', { profileId, rowId: trending.id, after: trending.itemsPageInfo.endCursor, first: 5 });
    expect(res.errors).toBeUndefined();
    const whole = (await homeRows(profileId, 3, 10)).find((r) => r.kind === 'TRENDING')!;
    expect(res.data!.profile.homeRow.id).toBe(trending.id);
    expect(res.data!.profile.homeRow.items).toHaveLength(5);
    expect(res.data!.profile.homeRow.items).toEqual(whole.items.slice(5, 10));
  });
});

describe('TitleDetails', () => {
  const series = dataset.titles.find((t) => t.kind === 'SERIES' && t.seasons.length >= 2)!;
  const watcher = dataset.progress.find((p) => p.titleId === series.id)?.profileId;

  it('lists seasons and episodes in order with their runtimes', async () => {
    const res = await sg.run('TitleDetails', { id: series.id, profileId: 'demo-premium-1' });
    expect(res.errors).toBeUndefined();
    const title = res.data!.title;
    expect(title).toMatchObject({ id: series.id, name: series.name, kind: 'SERIES', synopsis: series.synopsis, runtimeSeconds: series.runtimeSeconds });
    expect(title.artwork).toEqual({ url: `https://images.streaming.example/titles/${series.id}/hero.jpg`, width: 1920, height: 1080 });
    expect(title.seasons.map((s: { number: number }) => s.number)).toEqual(series.seasons.map((s) => s.number));
    title.seasons.forEach((season: { episodes: { id: string; number: number; runtimeSeconds: number }[] }, i: number) => {
      expect(season.episodes.map((e) => [e.id, e.number, e.runtimeSeconds]))
        .toEqual(series.seasons[i].episodes.map((e) => [e.id, e.number, e.runtimeSeconds]));
    });
  });

  it('gives a movie no seasons', async () => {
    const movie = dataset.titles.find((t) => t.kind === 'MOVIE')!;
    const res = await sg.run('TitleDetails', { id: movie.id, profileId: 'demo-premium-1' });
    expect(res.data!.title.seasons).toEqual([]);
    expect(res.data!.title.runtimeSeconds).toBe(movie.runtimeSeconds);
  });

  it("resumes a series at the episode watched last, with that episode's runtime", async () => {
    const profileId = dataset.progress.find((p) => p.episodeId && !p.completed)!.profileId;
    const rows = dataset.progress.filter((p) => p.profileId === profileId && p.episodeId && !p.completed);
    const resume = rows[0];
    const latestForTitle = dataset.progress
      .filter((p) => p.profileId === profileId && p.titleId === resume.titleId)
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0];
    const res = await sg.run('TitleDetails', { id: resume.titleId, profileId });
    expect(res.errors).toBeUndefined();
    expect(res.data!.title.progress).toEqual({
      positionSeconds: latestForTitle.positionSeconds, durationSeconds: latestForTitle.durationSeconds, completed: latestForTitle.completed,
    });
    const episodes = res.data!.title.seasons.flatMap((s: { episodes: unknown[] }) => s.episodes);
    const episode = episodes.find((e: { id: string }) => e.id === latestForTitle.episodeId);
    expect(episode.progress).toEqual(res.data!.title.progress);
    expect(episode.runtimeSeconds).toBe(latestForTitle.durationSeconds);
    expect(watcher).toBeDefined();
  });

  it('suggests up to 10 similar titles, never the title itself', async () => {
    const res = await sg.run('TitleDetails', { id: series.id, profileId: 'demo-premium-1' });
    const similar = res.data!.title.similar as { id: string; name: string }[];
    expect(similar).toHaveLength(10);
    expect(similar.map((s) => s.id)).not.toContain(series.id);
    for (const s of similar) expect(s.name).toBe(titleById.get(s.id)!.name);
  });

  it("filters similar titles by a profile's rating when given one", async () => {
    const rating = ratingOf('demo-premium-kids');
    const adult = dataset.titles.find((t) => t.maturityRating === 'EIGHTEEN_PLUS')!;
    const res = await sg.query(
      'query($id: ID!, $p: ID!) { title(id: $id) { all: similar(first: 50) { id maturityRating } kids: similar(first: 50, profileId: $p) { id maturityRating } } }',
      { id: adult.id, p: 'demo-premium-kids' },
    );
    expect(res.errors).toBeUndefined();
    const { all, kids } = res.data!.title as Record<string, { id: string; maturityRating: Maturity }[]>;
    expect(all.some((t) => !isAllowed(t.maturityRating, rating))).toBe(true);
    expect(kids.length).toBeGreaterThan(0);
    expect(kids.filter((t) => !isAllowed(t.maturityRating, rating))).toEqual([]);
  });

  it('gives null for an unknown title', async () => {
    const res = await sg.run('TitleDetails', { id: 'no-such-title', profileId: 'demo-premium-1' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ title: null });
  });
});

describe('Search', () => {
  it("finds titles by name, prefix matches first, within the profile's rating", async () => {
    const word = 'star';
    const adult = await sg.run('Search', { profileId: 'demo-premium-1', query: word, first: 100 });
    const kids = await sg.run('Search', { profileId: 'demo-premium-kids', query: 'STAR', first: 100 });
    expect(adult.errors).toBeUndefined();
    const adultHits = adult.data!.profile.search as { id: string; name: string; maturityRating: Maturity }[];
    const kidsHits = kids.data!.profile.search as typeof adultHits;
    const expected = dataset.titles.filter((t) => t.name.toLowerCase().includes(word) && isAllowed(t.maturityRating, ratingOf('demo-premium-1')));
    expect(adultHits.map((t) => t.id).sort()).toEqual(expected.slice(0, 100).map((t) => t.id).sort().slice(0, adultHits.length));
    expect(adultHits.length).toBe(Math.min(100, expected.length));
    for (const hit of [...adultHits, ...kidsHits]) expect(hit.name.toLowerCase()).toContain(word);
    expect(kidsHits.filter((t) => !isAllowed(t.maturityRating, ratingOf('demo-premium-kids')))).toEqual([]);
    expect(kidsHits.length).toBeLessThan(adultHits.length);
    const prefix = (name: string) => /^(the )?star/i.test(name);
    const firstNonPrefix = adultHits.findIndex((t) => !prefix(t.name));
    expect(adultHits.slice(firstNonPrefix).some((t) => prefix(t.name))).toBe(false);
  });

  it('respects first', async () => {
    const res = await sg.run('Search', { profileId: 'demo-premium-1', query: 'the' });
    expect(res.data!.profile.search).toHaveLength(20);
  });
});

describe('My List mutations', () => {
  it('adds a title to the top of the list, and the next home screen shows it; removing takes it away', async () => {
    const profileId = 'demo-premium-2';
    const rating = ratingOf(profileId);
    const listed = new Set(expectedMyList(profileId));
    const title = dataset.titles.find((t) => !listed.has(t.id) && isAllowed(t.maturityRating, rating))!;

    const added = await sg.run('AddToMyList', { profileId, titleId: title.id });
    expect(added.errors).toBeUndefined();
    expect(added.data!.addToMyList.myList[0]).toEqual({ id: title.id, name: title.name });
    let row = (await homeRows(profileId, 10, 50)).find((r) => r.kind === 'MY_LIST')!;
    expect(row.items[0].id).toBe(title.id);

    const again = await sg.run('AddToMyList', { profileId, titleId: title.id });
    expect(again.data!.addToMyList.myList.filter((t: { id: string }) => t.id === title.id)).toHaveLength(1);

    const removed = await sg.run('RemoveFromMyList', { profileId, titleId: title.id });
    expect(removed.errors).toBeUndefined();
    expect(removed.data!.removeFromMyList.myList.map((t: { id: string }) => t.id)).toEqual(expectedMyList(profileId));
    row = (await homeRows(profileId, 10, 50)).find((r) => r.kind === 'MY_LIST')!;
    expect(row.items.map((i) => i.id)).not.toContain(title.id);
  });

  it("refuses a title above the profile's rating, an unknown title and an unknown profile", async () => {
    const adult = dataset.titles.find((t) => t.maturityRating === 'EIGHTEEN_PLUS')!;
    const forbidden = await sg.run('AddToMyList', { profileId: 'demo-premium-kids', titleId: adult.id });
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(forbidden.errors?.[0].message).toContain('EIGHTEEN_PLUS');
    const unknownTitle = await sg.run('AddToMyList', { profileId: 'demo-premium-1', titleId: 'no-such-title' });
    expect(unknownTitle.errors?.[0]).toMatchObject({ message: 'title no-such-title does not exist', extensions: { code: 'NOT_FOUND' } });
    const unknownProfile = await sg.run('RemoveFromMyList', { profileId: 'nobody', titleId: adult.id });
    expect(unknownProfile.errors?.[0]).toMatchObject({ message: 'profile nobody does not exist', extensions: { code: 'NOT_FOUND' } });
  });
});

describe('profile mutations', () => {
  it('creates profiles up to five per account, then refuses with a clear error', async () => {
    const before = await sg.run('ProfilePicker', { accountId: 'demo-standard' });
    const count = before.data!.account.profiles.length;
    expect(count).toBeLessThan(5);
    const created = await sg.run('CreateProfile', { input: { accountId: 'demo-standard', name: 'Guest', isKids: true } });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createProfile).toMatchObject({ name: 'Guest', isKids: true, maturityRating: 'SEVEN_PLUS', language: 'en-GB', account: { id: 'demo-standard' } });
    const after = await sg.run('ProfilePicker', { accountId: 'demo-standard' });
    expect(after.data!.account.profiles.map((p: { name: string }) => p.name)).toEqual([
      ...before.data!.account.profiles.map((p: { name: string }) => p.name), 'Guest',
    ]);
    for (let i = count + 1; i < 5; i += 1) {
      expect((await sg.run('CreateProfile', { input: { accountId: 'demo-standard', name: `Extra ${i}` } })).errors).toBeUndefined();
    }
    const sixth = await sg.run('CreateProfile', { input: { accountId: 'demo-standard', name: 'One Too Many' } });
    expect(sixth.errors?.[0].extensions?.code).toBe('PROFILE_LIMIT_REACHED');
    expect(sixth.errors?.[0].message).toMatch(/already has 5 profiles/);
  });

  it('admits exactly the free slots when creations race', async () => {
    const before = (await sg.run('ProfilePicker', { accountId: 'demo-basic' })).data!.account.profiles.length;
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) =>
      sg.run('CreateProfile', { input: { accountId: 'demo-basic', name: `Racer ${i}` } })));
    expect(results.filter((r) => !r.errors).length).toBe(5 - before);
    expect(results.filter((r) => r.errors?.[0].extensions?.code === 'PROFILE_LIMIT_REACHED').length).toBe(6 - (5 - before));
    expect((await sg.run('ProfilePicker', { accountId: 'demo-basic' })).data!.account.profiles).toHaveLength(5);
  });

  it('rejects bad input with BAD_USER_INPUT and a message saying what is wrong', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ accountId: 'demo-premium', name: '   ' }, /name must not be empty/],
      [{ accountId: 'demo-premium', name: 'x'.repeat(51) }, /name must be at most 50 characters/],
      [{ accountId: 'demo-premium', name: 'Kid', isKids: true, maturityRating: 'EIGHTEEN_PLUS' }, /kids profile can be rated at most SEVEN_PLUS/],
      [{ accountId: 'demo-premium', name: 'Lang', language: 'english' }, /language must be a BCP 47 tag/],
      [{ accountId: 'demo-premium', name: 'Enum', maturityRating: 'PG_13' }, /PG_13/],
    ];
    for (const [input, message] of cases) {
      const res = await sg.run('CreateProfile', { input });
      expect({ input, code: res.errors?.[0].extensions?.code }).toEqual({ input, code: 'BAD_USER_INPUT' });
      expect(res.errors?.[0].message).toMatch(message);
    }
    const unknown = await sg.run('CreateProfile', { input: { accountId: 'nope', name: 'Ghost' } });
    expect(unknown.errors?.[0]).toMatchObject({ message: 'account nope does not exist', extensions: { code: 'NOT_FOUND' } });
  });

  it('updates a profile and the next read shows the change', async () => {
    const res = await sg.run('UpdateProfile', { id: 'demo-premium-3', input: { name: 'Morgan R.', language: 'fr-FR', maturityRating: 'THIRTEEN_PLUS' } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateProfile).toMatchObject({ id: 'demo-premium-3', name: 'Morgan R.', language: 'fr-FR', maturityRating: 'THIRTEEN_PLUS' });
    const picker = await sg.run('ProfilePicker', { accountId: 'demo-premium' });
    expect(picker.data!.account.profiles.find((p: { id: string }) => p.id === 'demo-premium-3')).toMatchObject({ name: 'Morgan R.', maturityRating: 'THIRTEEN_PLUS' });
    // The lowered rating applies at once to the home screen.
    const rows = await homeRows('demo-premium-3', 50, 100);
    expect(rows.flatMap((r) => r.items).filter((i) => !isAllowed(i.maturityRating, 'THIRTEEN_PLUS'))).toEqual([]);

    const clash = await sg.run('UpdateProfile', { id: 'demo-premium-3', input: { name: 'jordan' } });
    expect(clash.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    const missing = await sg.run('UpdateProfile', { id: 'nobody', input: { name: 'X' } });
    expect(missing.errors?.[0]).toMatchObject({ message: 'profile nobody does not exist', extensions: { code: 'NOT_FOUND' } });
  });

  it('deletes a profile with its list', async () => {
    const res = await sg.run('DeleteProfile', { id: 'demo-premium-4' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ deleteProfile: true });
    expect((await sg.run('HomeScreen', { profileId: 'demo-premium-4' })).data).toEqual({ profile: null });
    const picker = await sg.run('ProfilePicker', { accountId: 'demo-premium' });
    expect(picker.data!.account.profiles.map((p: { id: string }) => p.id)).not.toContain('demo-premium-4');
    const again = await sg.run('DeleteProfile', { id: 'demo-premium-4' });
    expect(again.errors?.[0]).toMatchObject({ message: 'profile demo-premium-4 does not exist', extensions: { code: 'NOT_FOUND' } });
  });
});
