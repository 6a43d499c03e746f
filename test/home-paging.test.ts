import { postGraphQL } from '@streaming/testing';
import { HomeCursors } from '../subgraphs/recommendation/src/paging/HomeCursors';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph';
import { dataset, expectedMyList, profileById } from './support/expectations';
import { eventually, familyMovies } from './support/playback';
import { moreItems, moreRows, scrollWholeVisit, type RunOperation, type ScrolledRow } from './support/homePaging';

/**
 * Rows that page, both ways (issue 16): a phone scrolls the home screen down (HomeScreenMoreRows)
 * and each row across (RowMoreItems) with opaque cursors, and within one visit never sees a
 * title twice or misses one, whatever playback does to the ranking meanwhile. Cursors are
 * signed, bound to the profile and the viewer's account, and expire: anything else is
 * BAD_USER_INPUT on `after`, never someone else's rows.
 */
const SECRET = 'home-paging-test-secret';
let sg: TestSupergraph;
let run: RunOperation;
beforeAll(async () => {
  sg = await startTestSupergraph({ env: { CURSOR_SIGNING_SECRET: SECRET } });
  run = (operation, variables) => sg.run(operation, variables);
});
afterAll(async () => {
  await sg?.stop();
});

type Row = { id: string; kind: string; items: { id: string }[] };
const wholeScreen = async (profileId: string): Promise<ScrolledRow[]> => {
  const res = await sg.run('HomeScreen', { profileId, rows: 50, itemsPerRow: 100 });
  expect(res.errors).toBeUndefined();
  return (res.data!.profile.homeRows as Row[]).map((r) => ({ id: r.id, kind: r.kind, itemIds: r.items.map((i) => i.id) }));
};
const accountOf = (profileId: string) => profileById.get(profileId)!.accountId;
const codec = new HomeCursors(SECRET);

function expectBadCursor(res: { errors?: { message: string; extensions?: Record<string, unknown> }[] }, message: RegExp) {
  expect(res.errors).toHaveLength(1);
  expect(res.errors![0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });
}

describe('one visit, while playback re-ranks the rows', () => {
  it('shows every row and every title of the screen as it was when the visit began, none twice, none missed', async () => {
    const profileId = 'demo-basic-1';
    const watched = new Set(dataset.progress.filter((p) => p.profileId === profileId).map((p) => p.titleId));
    const listed = new Set(expectedMyList(profileId));
    const before = await wholeScreen(profileId);
    const trending = before.find((r) => r.kind === 'TRENDING')!;
    // Titles this profile never started, not at the top of Trending: watching them moves them
    // to the front of Continue Watching and of Trending, so every later page would shift.
    const movies = familyMovies.filter((m) => !watched.has(m.id) && !listed.has(m.id) && !trending.itemIds.slice(0, 10).includes(m.id)).slice(0, 2);

    const reRank = async () => {
      for (const movie of movies) {
        const started = await sg.run('StartPlayback', { input: { profileId, titleId: movie.id, deviceId: `paging-${movie.id}` } });
        expect(started.errors).toBeUndefined();
        await sg.run('StopPlayback', { sessionId: started.data!.startPlayback.id, positionSeconds: 60 });
      }
      // The events reached recommendation: a new visit sees the new order.
      await eventually(() => wholeScreen(profileId), (rows) =>
        rows.find((r) => r.kind === 'CONTINUE_WATCHING')?.itemIds[0] === movies[1].id
        && rows.find((r) => r.kind === 'TRENDING')!.itemIds.slice(0, 2).includes(movies[1].id), 5_000);
    };
    const visit = await scrollWholeVisit(run, profileId, { rows: 3, itemsPerRow: 4, itemsPage: 7 }, reRank);

    const after = await wholeScreen(profileId);
    expect(after).not.toEqual(before);
    // What the phone scrolled through is exactly the screen the visit began with.
    expect(visit.map((r) => r.id)).toEqual(before.map((r) => r.id));
    for (const [i, row] of visit.entries()) {
      expect({ row: row.id, items: row.itemIds }).toEqual({ row: before[i].id, items: before[i].itemIds });
      expect(new Set(row.itemIds).size).toBe(row.itemIds.length);
    }
    // A new visit shows the change.
    const fresh = await moreRows(run, profileId, null, 3, 4);
    expect(fresh[0].items[0].id).toBe(movies[1].id);
  });

  it('keeps paging when the cached visit is gone but nothing changed, and ends it clearly when the ranking moved on', async () => {
    const profileId = 'demo-basic-2';
    const [first] = await moreRows(run, profileId, null, 1, 3);
    const reference = await wholeScreen(profileId);
    // The visit's snapshot is only in the shared cache: lose it (a Redis restart, an eviction).
    await sg.flushCache();
    const next = await moreRows(run, profileId, first.cursor, 2, 3);
    expect(next.map((r) => r.id)).toEqual(reference.slice(1, 3).map((r) => r.id));

    const movie = familyMovies.find((m) => !dataset.progress.some((p) => p.profileId === profileId && p.titleId === m.id))!;
    const started = await sg.run('StartPlayback', { input: { profileId, titleId: movie.id, deviceId: 'paging-gone' } });
    await sg.run('StopPlayback', { sessionId: started.data!.startPlayback.id, positionSeconds: 60 });
    await eventually(() => wholeScreen(profileId), (rows) => rows.find((r) => r.kind === 'CONTINUE_WATCHING')?.itemIds[0] === movie.id, 5_000);
    await sg.flushCache();
    const res = await sg.run('HomeScreenMoreRows', { profileId, after: next[1].cursor, rows: 2, itemsPerRow: 3 });
    expectBadCursor(res, /home-screen visit .* has ended/);
    expect(res.data!.profile.homeRows).toBeNull();
  });

  it("ends the visit when the profile's rating is lowered: nothing above the new rating is paged in", async () => {
    const profileId = 'demo-standard-2';
    const rows = await moreRows(run, profileId, null, 2, 3);
    const lowered = await sg.run('UpdateProfile', { id: profileId, input: { maturityRating: 'SEVEN_PLUS' } });
    expect(lowered.errors).toBeUndefined();
    expectBadCursor(await sg.run('HomeScreenMoreRows', { profileId, after: rows[1].cursor, rows: 5, itemsPerRow: 20 }), /rating/);
    expectBadCursor(await sg.run('RowMoreItems', { profileId, rowId: rows[0].id, after: rows[0].itemsPageInfo.endCursor, first: 50 }), /rating/);
  });
});

describe('cursors', () => {
  const profileId = 'demo-premium-1';
  let rows: Awaited<ReturnType<typeof moreRows>>;
  beforeAll(async () => {
    rows = await moreRows(run, profileId, null, 3, 5);
    expect(rows).toHaveLength(3);
  });
  const rowsPage = (after: string, id = profileId) => sg.run('HomeScreenMoreRows', { profileId: id, after, rows: 3, itemsPerRow: 5 });
  const itemsPage = (after: string, rowId = rows[2].id, id = profileId) => sg.run('RowMoreItems', { profileId: id, rowId, after, first: 5 });

  it('are opaque strings that continue where the page ended', async () => {
    for (const row of rows) {
      expect(row.cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(row.cursor).not.toContain(profileId);
    }
    const whole = await wholeScreen(profileId);
    const next = await moreRows(run, profileId, rows[2].cursor, 2, 5);
    expect(next.map((r) => r.id)).toEqual(whole.slice(3, 5).map((r) => r.id));
    const more = await moreItems(run, profileId, rows[2].id, rows[2].itemsPageInfo.endCursor, 5);
    expect(more.items.map((i) => i.id)).toEqual(whole[2].itemIds.slice(5, 10));
  });

  it('forged: BAD_USER_INPUT on after, and no rows', async () => {
    for (const forged of ['nonsense', '', 'a.b', `${Buffer.from('{"k":"r","v":"x","x":9999999999,"r":0}').toString('base64url')}.AAAA`]) {
      const res = await rowsPage(forged);
      expectBadCursor(res, /is not a cursor of this profile's home screen/);
      expect(res.data!.profile).toEqual({ id: profileId, homeRows: null });
      const items = await itemsPage(forged);
      expectBadCursor(items, /is not a cursor of this profile's home screen/);
      expect(items.data!.profile).toEqual({ id: profileId, homeRow: null });
    }
  });

  it('tampered (one character changed, or signed with another key): BAD_USER_INPUT', async () => {
    const [payload, signature] = rows[0].cursor.split('.');
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const moved = Buffer.from(JSON.stringify({ ...decoded, r: decoded.r + 1 })).toString('base64url');
    expectBadCursor(await rowsPage(`${moved}.${signature}`), /is not a cursor of this profile's home screen/);
    const flipped = signature[3] === 'A' ? 'B' : 'A';
    expectBadCursor(await rowsPage(`${payload}.${signature.slice(0, 3)}${flipped}${signature.slice(4)}`), /is not a cursor/);
    const owner = { accountId: accountOf(profileId), profileId };
    const rogue = new HomeCursors('another-secret').sign(codec.verify(rows[0].cursor, 'rows', owner), owner);
    expectBadCursor(await rowsPage(rogue), /is not a cursor/);
  });

  it('expired: BAD_USER_INPUT saying so', async () => {
    const owner = { accountId: accountOf(profileId), profileId };
    const stale = codec.sign({ ...codec.verify(rows[0].cursor, 'rows', owner), expiresAt: Math.floor(Date.now() / 1000) - 1 }, owner);
    expectBadCursor(await rowsPage(stale), /has expired/);
    const staleItems = codec.sign({ ...codec.verify(rows[2].itemsPageInfo.endCursor, 'items', owner), expiresAt: Math.floor(Date.now() / 1000) - 1 }, owner);
    expectBadCursor(await itemsPage(staleItems), /has expired/);
  });

  it("of another profile, even of the same account: BAD_USER_INPUT, never that profile's rows", async () => {
    const sibling = 'demo-premium-2';
    const res = await rowsPage(rows[0].cursor, sibling);
    expectBadCursor(res, /is not a cursor of this profile's home screen/);
    expect(res.data!.profile.homeRows).toBeNull();
    expectBadCursor(await itemsPage(rows[2].itemsPageInfo.endCursor, rows[2].id.replace(profileId, sibling), sibling), /is not a cursor/);
    // Another account, with a profile of its own.
    const stranger = dataset.profiles.find((p) => p.accountId === 'demo-standard')!.id;
    expectBadCursor(await rowsPage(rows[0].cursor, stranger), /is not a cursor/);
  });

  it("of another account, sent straight to recommendation about the owner's profile: no rows", async () => {
    const token = await sg.tokenFor('demo-standard');
    const representation = { __typename: 'Profile', id: profileId, maturityRating: 'EIGHTEEN_PLUS', myList: [], account: { __typename: 'Account', id: 'demo-premium', country: 'GB' } };
    const res = await postGraphQL(sg.subgraphs.recommendation.url,
      'query($r: [_Any!]!, $after: String) { _entities(representations: $r) { ... on Profile { homeRows(first: 5, after: $after) { id items { id } } } } }',
      { r: [representation], after: rows[0].cursor }, undefined, { authorization: `Bearer ${token}` });
    expect(res.data).toEqual({ _entities: [{ homeRows: [] }] });
  });

  it('of the wrong kind or the wrong row: BAD_USER_INPUT', async () => {
    expectBadCursor(await rowsPage(rows[2].itemsPageInfo.endCursor), /cursor of a row's titles/);
    expectBadCursor(await itemsPage(rows[0].cursor), /cursor of the rows/);
    expectBadCursor(await itemsPage(rows[2].itemsPageInfo.endCursor, rows[1].id), /another row/);
  });

  it('rejects a page size out of range like the first page does', async () => {
    const res = await sg.run('RowMoreItems', { profileId, rowId: rows[2].id, after: rows[2].itemsPageInfo.endCursor, first: 101 });
    expect(res.errors?.[0]).toMatchObject({ message: 'first must be at most 100, got 101', extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' } });
  });

  it('gives no row for an id that is not one of the profile\'s rows', async () => {
    for (const rowId of ['nonsense', `${profileId}:genre:no-such-genre`, rows[0].id.replace(profileId, 'demo-premium-2')]) {
      const res = await sg.run('RowMoreItems', { profileId, rowId, after: rows[2].itemsPageInfo.endCursor, first: 5 });
      expect(res.data!.profile.homeRow).toBeNull();
    }
  });

  it('say where the screen and each row end', async () => {
    const whole = await wholeScreen(profileId);
    let page = rows;
    while (page.at(-1)!.hasMoreRows) page = await moreRows(run, profileId, page.at(-1)!.cursor, 20, 100);
    expect(page.at(-1)!.id).toBe(whole.at(-1)!.id);
    expect(await moreRows(run, profileId, page.at(-1)!.cursor, 5, 5)).toEqual([]);
    for (const row of page) expect(row.itemsPageInfo.hasNextPage).toBe(false);
  });
});
