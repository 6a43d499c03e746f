import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph';
import { expectedContinueWatching } from './support/expectations';
import { eventually, familyMovies } from './support/playback';

/**
 * The embedded default, end to end: PGlite stores and the in-process cache, as `npm start`
 * runs on a machine with neither Postgres nor Redis. Same migrations, same seed, same answers.
 */
let sg: TestSupergraph;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'streaming-embedded-'));

beforeAll(async () => {
  sg = await startTestSupergraph({ store: 'pglite', cache: 'memory', dataDir });
}, 240_000);
afterAll(async () => {
  await sg?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('serves the home screen and takes My List writes on PGlite and the in-memory cache', async () => {
  expect(Object.values(sg.subgraphs).map((s) => s.store.kind)).toEqual(['pglite', 'pglite', 'pglite', 'pglite']);
  expect(Object.values(sg.subgraphs).map((s) => s.cache.kind)).toEqual(['memory', 'memory', 'memory', 'memory']);

  const home = await sg.run('HomeScreen', { profileId: 'demo-premium-1' });
  expect(home.errors).toBeUndefined();
  const rows = home.data!.profile.homeRows as { kind: string; items: { id: string; name: string }[] }[];
  expect(rows).toHaveLength(10);
  expect(rows[0].items.map((i) => i.id)).toEqual(expectedContinueWatching('demo-premium-1').slice(0, 20));

  const titleId = rows.find((r) => r.kind === 'TRENDING')!.items[0].id;
  await sg.run('RemoveFromMyList', { profileId: 'demo-premium-1', titleId });
  const added = await sg.run('AddToMyList', { profileId: 'demo-premium-1', titleId });
  expect(added.errors).toBeUndefined();
  const after = await sg.run('HomeScreen', { profileId: 'demo-premium-1' });
  expect(after.data!.profile.homeRows.find((r: { kind: string }) => r.kind === 'MY_LIST').items[0].id).toBe(titleId);

  const details = await sg.run('TitleDetails', { id: titleId, profileId: 'demo-premium-1' });
  expect(details.errors).toBeUndefined();
  expect(details.data!.title.similar.length).toBeGreaterThan(0);
  const search = await sg.run('Search', { profileId: 'demo-premium-1', query: details.data!.title.name });
  expect(search.data!.profile.search[0].id).toBe(titleId);

  // Playback on the in-memory session store, its events on the in-process bus.
  const movie = familyMovies.find((m) => !expectedContinueWatching('demo-premium-2').includes(m.id))!;
  const started = await sg.run('StartPlayback', { input: { profileId: 'demo-premium-2', titleId: movie.id, deviceId: 'embedded-tv' } });
  expect(started.errors).toBeUndefined();
  expect(started.data!.startPlayback.manifest.renditions.some((r: { quality: string }) => r.quality === 'UHD')).toBe(true);
  await sg.run('Heartbeat', { input: { sessionId: started.data!.startPlayback.id, positionSeconds: 300 } });
  const continued = await eventually(
    async () => (await sg.run('HomeScreen', { profileId: 'demo-premium-2' })).data!.profile.homeRows[0].items[0],
    (item: { id: string; progress: { positionSeconds: number } | null }) => item.id === movie.id && item.progress?.positionSeconds === 300,
    15_000,
  );
  expect(continued.value).toMatchObject({ id: movie.id, progress: { positionSeconds: 300 } });
  const stopped = await sg.run('StopPlayback', { sessionId: started.data!.startPlayback.id, positionSeconds: movie.runtimeSeconds });
  expect(stopped.data!.stopPlayback).toMatchObject({ state: 'ENDED', positionSeconds: movie.runtimeSeconds });
  const active = await sg.run('ActiveSessions', { profileId: 'demo-premium-2' });
  expect(active.data!.profile.activeSessions).toEqual([]);
  expect(active.data!.profile.continueWatching.map((p: { title: { id: string } }) => p.title.id)).not.toContain(movie.id);
}, 120_000);
