import { startTestSupergraph, type TestSupergraph } from './support/supergraph';
import { dataset, expectedContinueWatching, expectedMyList } from './support/expectations';
import { familyMovies, familySeries } from './support/playback';

/**
 * Caches never serve one viewer's data to another. Two accounts ask for the same screens,
 * interleaved, with every cache on as shipped: the gateway's entity cache, Redis in front of the
 * stores, and recommendation's shared pool. Each must only ever see its own rows, list,
 * progress and sessions, and the other's ids must look like ids that don't exist.
 */
let sg: TestSupergraph;
beforeAll(async () => {
  sg = await startTestSupergraph({ entityCache: true, gatewayEnv: { FAULT_INJECTION: 'true' } });
});
afterAll(async () => {
  await sg?.stop();
});

interface Side {
  account: string;
  profile: string;
  device: string;
  added: string;
  playing: string;
}

const [a, b]: Side[] = [
  { account: 'demo-premium', profile: 'demo-premium-1', device: 'isolation-a', added: '', playing: '' },
  { account: 'demo-standard', profile: 'demo-standard-1', device: 'isolation-b', added: '', playing: '' },
];
const inAnyList = new Set([...expectedMyList(a.profile), ...expectedMyList(b.profile)]);
const spare = familyMovies.filter((m) => !inAnyList.has(m.id));
a.added = spare[0].id;
b.added = spare[1].id;
a.playing = spare[2].id;
b.playing = spare[3].id;

/** Titles only one side has progress on, to look for on the other side's screens. */
function progressOnlyOf(side: Side, other: Side): string[] {
  const theirs = new Set(dataset.progress.filter((p) => p.profileId === other.profile).map((p) => p.titleId));
  return [...new Set(dataset.progress.filter((p) => p.profileId === side.profile && !theirs.has(p.titleId)).map((p) => p.titleId))];
}

type Row = { kind: string; items: { id: string; progress: unknown }[] };

it('serves two accounts, interleaved, only their own rows, list, progress and sessions', async () => {
  for (const side of [a, b]) {
    const as = { as: side.account };
    expect((await sg.run('AddToMyList', { profileId: side.profile, titleId: side.added }, as)).errors).toBeUndefined();
    const started = await sg.run('StartPlayback', { input: { profileId: side.profile, titleId: side.playing, deviceId: side.device } }, as);
    expect(started.errors).toBeUndefined();
  }

  for (let round = 0; round < 3; round += 1) {
    for (const [me, them] of [[a, b], [b, a]] as const) {
      const as = { as: me.account };
      const home = await sg.run('HomeScreen', { profileId: me.profile, rows: 10, itemsPerRow: 20 }, as);
      expect(home.errors).toBeUndefined();
      const rows = home.data!.profile.homeRows as Row[];
      const list = rows.find((r) => r.kind === 'MY_LIST')!.items.map((i) => i.id);
      expect(list[0]).toBe(me.added);
      expect(list).not.toContain(them.added);
      const continuing = rows.find((r) => r.kind === 'CONTINUE_WATCHING')!.items.map((i) => i.id);
      const mine = new Set([...expectedContinueWatching(me.profile), me.playing]);
      expect(continuing.filter((id) => !mine.has(id))).toEqual([]);

      const sessions = await sg.run('ActiveSessions', { profileId: me.profile }, as);
      expect(sessions.errors).toBeUndefined();
      expect(sessions.data!.profile.activeSessions.map((s: { deviceId: string }) => s.deviceId)).toEqual([me.device]);
      const watching = sessions.data!.profile.continueWatching.map((p: { title: { id: string } }) => p.title.id);
      expect(watching.filter((id: string) => !mine.has(id))).toEqual([]);

      // The other side's title, asked with my profile: the page renders, with no progress.
      const theirs = progressOnlyOf(them, me)[round];
      const details = await sg.run('TitleDetails', { id: theirs, profileId: me.profile }, as);
      expect(details.errors).toBeUndefined();
      expect(details.data!.title.progress).toBeNull();
      // And with their profile: nothing, exactly like an id that doesn't exist.
      const peek = await sg.run('TitleDetails', { id: theirs, profileId: them.profile }, as);
      expect(peek.errors).toBeUndefined();
      expect(peek.data!.title.progress).toBeNull();
      for (const operation of ['HomeScreen', 'ActiveSessions', 'Search']) {
        const res = await sg.run(operation, { profileId: them.profile, query: 'a' }, as);
        expect(res.errors).toBeUndefined();
        expect(res.data).toEqual({ profile: null });
      }
      const similar = await sg.query('query($t: ID!, $p: ID!) { title(id: $t) { similar(profileId: $p) { id } } }', { t: theirs, p: them.profile }, as);
      expect(similar.errors).toBeUndefined();
      expect(similar.data).toEqual({ title: { similar: null } });
    }
  }
});

it("never shows one viewer's episode progress in another's answer through the cached catalog titles", async () => {
  // Both have the series on their lists, so the catalog's answer for it (seasons and episodes
  // included) is cached by the gateway and served to both; only A has watched an episode.
  const episode = familySeries.seasons[0].episodes[0];
  for (const side of [a, b]) {
    expect((await sg.run('AddToMyList', { profileId: side.profile, titleId: familySeries.id }, { as: side.account })).errors).toBeUndefined();
  }
  const started = await sg.run('StartPlayback', { input: { profileId: a.profile, titleId: familySeries.id, episodeId: episode.id, deviceId: 'isolation-a-series' } }, { as: a.account });
  expect(started.errors).toBeUndefined();
  const position = Math.floor(episode.runtimeSeconds / 2);
  expect((await sg.run('StopPlayback', { sessionId: started.data!.startPlayback.id, positionSeconds: position }, { as: a.account })).errors).toBeUndefined();

  const query = 'query($p: ID!) { profile(id: $p) { myList { id seasons { episodes { id progress(profileId: $p) { positionSeconds } } } } } }';
  type Answer = { profile: { myList: { id: string; seasons: { episodes: { id: string; progress: { positionSeconds: number } | null }[] }[] }[] } };
  const episodesOf = (data: Answer) => data.profile.myList.find((t) => t.id === familySeries.id)!.seasons.flatMap((s) => s.episodes);

  const mine = await sg.query<Answer>(query, { p: a.profile }, { as: a.account });
  expect(mine.errors).toBeUndefined();
  expect(episodesOf(mine.data!).find((e) => e.id === episode.id)!.progress).toEqual({ positionSeconds: position });

  // B asks while playback-session fails: B's progress is missing (null, with the error), and the
  // catalog's cached episodes must not bring A's along.
  const theirs = await sg.query<Answer>(query, { p: b.profile }, { as: b.account, headers: { 'x-fault': 'playback-session=error' } });
  expect(theirs.errors?.map((e) => e.extensions?.code)).toContain('SUBGRAPH_UNAVAILABLE');
  const episodes = episodesOf(theirs.data!);
  expect(episodes.map((e) => e.id)).toContain(episode.id);
  expect(episodes.filter((e) => e.progress !== null)).toEqual([]);

  // And when it answers, B's own (none) is what B sees.
  const again = await sg.query<Answer>(query, { p: b.profile }, { as: b.account });
  expect(again.errors).toBeUndefined();
  expect(episodesOf(again.data!).filter((e) => e.progress !== null)).toEqual([]);
});
