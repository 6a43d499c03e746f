import { isAllowed, type Maturity } from '@streaming/platform';
import { Random } from './random';
import {
  ADJECTIVES, COUNTRIES, FIRST_NAMES, GENRES, KIDS_GENRES, LANGUAGES, NOUNS, PLACES,
  SYNOPSIS_ENDINGS, SYNOPSIS_OPENINGS,
} from './words';

/**
 * The demo dataset, generated from a seed: every subgraph process generates the same dataset
 * and writes only its own slice into its own store, so the four stores agree without any of
 * them reading another's database.
 */
export type PlanTier = 'BASIC' | 'STANDARD' | 'PREMIUM';
export type TitleKind = 'MOVIE' | 'SERIES';
export type ArtworkType = 'BOXART' | 'HERO' | 'LOGO';

export interface GenreData { id: string; name: string }
export interface ArtworkData { type: ArtworkType; url: string; width: number; height: number }
export interface EpisodeData { id: string; number: number; name: string; synopsis: string; runtimeSeconds: number }
export interface SeasonData { id: string; number: number; episodes: EpisodeData[] }
export interface TitleData {
  id: string;
  name: string;
  kind: TitleKind;
  synopsis: string;
  releaseYear: number;
  maturityRating: Maturity;
  runtimeSeconds: number;
  popularity: number;
  addedAt: Date;
  genreIds: string[];
  artwork: ArtworkData[];
  seasons: SeasonData[];
}
export interface AccountData { id: string; email: string; country: string; planTier: PlanTier; createdAt: Date }
export interface ProfileData {
  id: string;
  accountId: string;
  name: string;
  avatarUrl: string;
  isKids: boolean;
  maturityRating: Maturity;
  language: string;
  createdAt: Date;
}
export interface MyListData { profileId: string; titleId: string; addedAt: Date }
export interface ProgressData {
  profileId: string;
  titleId: string;
  episodeId: string | null;
  positionSeconds: number;
  durationSeconds: number;
  completed: boolean;
  updatedAt: Date;
}
export interface CountryViewsData { titleId: string; country: string; views: number; trendingScore: number }

export interface Dataset {
  genres: GenreData[];
  titles: TitleData[];
  accounts: AccountData[];
  profiles: ProfileData[];
  myList: MyListData[];
  progress: ProgressData[];
  countryViews: CountryViewsData[];
}

export interface DatasetOptions {
  /** 1 = 2,000 titles and 1,000 accounts; tests use a fraction. The demo fixtures always exist. */
  scale?: number;
  seed?: number;
}

/** Everything is dated relative to this instant, not the clock, so two runs give the same rows. */
export const DATASET_EPOCH = new Date('2026-11-01T12:00:00.000Z');
const DAY = 86_400_000;

export const DEMO_ACCOUNTS: ReadonlyArray<{ id: string; country: string; planTier: PlanTier; profiles: ReadonlyArray<[name: string, kids: boolean]> }> = [
  { id: 'demo-basic', country: 'US', planTier: 'BASIC', profiles: [['Alex', false], ['Sam', false]] },
  { id: 'demo-standard', country: 'GB', planTier: 'STANDARD', profiles: [['Maya', false], ['Noah', false], ['Leila', false]] },
  {
    id: 'demo-premium', country: 'US', planTier: 'PREMIUM',
    profiles: [['Jordan', false], ['Riley', false], ['Morgan', false], ['Casey', false], ['Kids', true]],
  },
];

function avatarUrl(seed: number): string {
  return `https://assets.streaming.example/avatars/${(seed % 24) + 1}.png`;
}

function artworkFor(titleId: string): ArtworkData[] {
  const base = `https://images.streaming.example/titles/${titleId}`;
  return [
    { type: 'BOXART', url: `${base}/boxart.jpg`, width: 341, height: 192 },
    { type: 'HERO', url: `${base}/hero.jpg`, width: 1920, height: 1080 },
    { type: 'LOGO', url: `${base}/logo.png`, width: 600, height: 200 },
  ];
}

function maturityFor(random: Random, genreIds: string[]): Maturity {
  if (genreIds.some((g) => KIDS_GENRES.has(g))) {
    return random.weighted<Maturity>([['ALL', 5], ['SEVEN_PLUS', 4], ['THIRTEEN_PLUS', 1]]);
  }
  return random.weighted<Maturity>([['ALL', 1], ['SEVEN_PLUS', 1], ['THIRTEEN_PLUS', 4], ['SIXTEEN_PLUS', 4], ['EIGHTEEN_PLUS', 3]]);
}

function generateTitles(random: Random, count: number): TitleData[] {
  const used = new Set<string>();
  const titles: TitleData[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = `t-${String(i + 1).padStart(5, '0')}`;
    let name = '';
    for (let attempt = 0; attempt < 6 && (name === '' || used.has(name)); attempt += 1) {
      const shape = random.int(0, 3);
      const adjective = random.pick(ADJECTIVES);
      const noun = random.pick(NOUNS);
      if (shape === 0) name = `The ${adjective} ${noun}`;
      else if (shape === 1) name = `${adjective} ${noun}`;
      else if (shape === 2) name = `${noun} of ${random.pick(PLACES)}`;
      else name = `${random.pick(PLACES)} ${noun}`;
    }
    if (used.has(name)) name = `${name} ${random.int(2, 9)}`;
    if (used.has(name)) name = `${name} (${id})`;
    used.add(name);

    const kind: TitleKind = random.chance(0.35) ? 'SERIES' : 'MOVIE';
    // A fifth of the catalogue leans towards kids' genres, so kids profiles get full rows.
    const genrePool = random.chance(0.2) ? GENRES.filter(([g]) => KIDS_GENRES.has(g)) : GENRES;
    const genreIds = random.sample(genrePool.map(([g]) => g), random.int(1, 3));
    const releaseYear = random.weighted([[random.int(1970, 1999), 1], [random.int(2000, 2019), 3], [random.int(2020, 2026), 4]]);
    const seasons: SeasonData[] = [];
    let runtimeSeconds: number;
    if (kind === 'SERIES') {
      runtimeSeconds = random.pick([22, 30, 45, 50, 55, 60]) * 60;
      const seasonCount = random.weighted([[1, 4], [2, 3], [3, 2], [4, 1], [5, 1]]);
      for (let s = 1; s <= seasonCount; s += 1) {
        const episodes: EpisodeData[] = [];
        const episodeCount = random.int(6, 10);
        for (let e = 1; e <= episodeCount; e += 1) {
          episodes.push({
            id: `${id}-s${s}e${e}`,
            number: e,
            name: `${random.pick(['The', 'A', 'No', 'One'])} ${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}`,
            synopsis: `${random.pick(SYNOPSIS_OPENINGS)} ${random.pick(SYNOPSIS_ENDINGS)}`,
            runtimeSeconds: runtimeSeconds + random.int(-4, 4) * 60,
          });
        }
        seasons.push({ id: `${id}-s${s}`, number: s, episodes });
      }
    } else {
      runtimeSeconds = random.int(80, 165) * 60;
    }
    // Popularity is long-tailed, as real viewing is: a few titles take most of the views.
    const popularity = Math.round(10_000 * Math.pow(random.next(), 3) * 100) / 100;
    titles.push({
      id,
      name,
      kind,
      synopsis: `${random.pick(SYNOPSIS_OPENINGS)} ${random.pick(SYNOPSIS_ENDINGS)}`,
      releaseYear,
      maturityRating: maturityFor(random, genreIds),
      runtimeSeconds,
      popularity,
      addedAt: new Date(DATASET_EPOCH.getTime() - random.int(0, 3 * 365) * DAY),
      genreIds,
      artwork: artworkFor(id),
      seasons,
    });
  }
  return titles;
}

/** Viewing history for one profile: some finished, some in progress; series watched in order. */
function watchHistory(random: Random, profile: ProfileData, candidates: TitleData[], count: number): ProgressData[] {
  const rows: ProgressData[] = [];
  const picked = random.sample(candidates, count);
  picked.forEach((title, index) => {
    // Most recent first in `picked` order, hours apart, so "continue watching" has a clear order.
    const updatedAt = new Date(DATASET_EPOCH.getTime() - (index * 7 + random.int(1, 6)) * 3_600_000);
    // The first two are always unfinished: every profile has something to continue.
    const finished = index >= 2 && random.chance(0.4);
    if (title.kind === 'MOVIE') {
      const duration = title.runtimeSeconds;
      rows.push({
        profileId: profile.id, titleId: title.id, episodeId: null, durationSeconds: duration,
        positionSeconds: finished ? duration : Math.floor(duration * (0.1 + random.next() * 0.7)),
        completed: finished, updatedAt,
      });
      return;
    }
    const episodes = title.seasons.flatMap((season) => season.episodes);
    const current = random.int(0, Math.min(episodes.length - 1, 5));
    for (let e = Math.max(0, current - 2); e <= current; e += 1) {
      const episode = episodes[e];
      const isCurrent = e === current;
      const done = !isCurrent || finished;
      rows.push({
        profileId: profile.id, titleId: title.id, episodeId: episode.id, durationSeconds: episode.runtimeSeconds,
        positionSeconds: done ? episode.runtimeSeconds : Math.floor(episode.runtimeSeconds * (0.1 + random.next() * 0.7)),
        completed: done,
        // Earlier episodes were watched earlier, so the latest row is the one to resume.
        updatedAt: new Date(updatedAt.getTime() - (current - e) * 3_600_000),
      });
    }
  });
  return rows;
}

export function generateDataset(options: DatasetOptions = {}): Dataset {
  const scale = options.scale ?? 1;
  const random = new Random(options.seed ?? 20261126);
  const genres = GENRES.map(([id, name]) => ({ id, name }));
  const titles = generateTitles(random, Math.max(120, Math.round(2000 * scale)));
  const byPopularity = [...titles].sort((a, b) => b.popularity - a.popularity);

  const accounts: AccountData[] = [];
  const profiles: ProfileData[] = [];
  const myList: MyListData[] = [];
  const progress: ProgressData[] = [];

  const addProfile = (account: AccountData, index: number, name: string, isKids: boolean, id: string) => {
    const maturityRating: Maturity = isKids
      ? random.pick<Maturity>(['ALL', 'SEVEN_PLUS', 'SEVEN_PLUS'])
      : random.weighted<Maturity>([['EIGHTEEN_PLUS', 6], ['SIXTEEN_PLUS', 2], ['THIRTEEN_PLUS', 1]]);
    const profile: ProfileData = {
      id, accountId: account.id, name, isKids, maturityRating,
      avatarUrl: avatarUrl(random.int(0, 1000)),
      language: LANGUAGES[account.country] ?? 'en-US',
      createdAt: new Date(account.createdAt.getTime() + index * 60_000),
    };
    profiles.push(profile);
    // Viewers mostly watch popular titles: sample from the top half, within the profile's rating.
    const allowed = byPopularity.filter((t) => isAllowed(t.maturityRating, maturityRating));
    const pool = allowed.slice(0, Math.max(60, Math.floor(allowed.length / 2)));
    progress.push(...watchHistory(random, profile, pool, random.int(5, 14)));
    random.sample(allowed.slice(0, 300), random.int(3, 12)).forEach((title, i) => {
      myList.push({ profileId: id, titleId: title.id, addedAt: new Date(DATASET_EPOCH.getTime() - (i * 24 + random.int(1, 20)) * 3_600_000) });
    });
  };

  for (const demo of DEMO_ACCOUNTS) {
    const account: AccountData = {
      id: demo.id, email: `${demo.id}@example.com`, country: demo.country, planTier: demo.planTier,
      createdAt: new Date(DATASET_EPOCH.getTime() - 400 * DAY),
    };
    accounts.push(account);
    demo.profiles.forEach(([name, kids], index) => {
      addProfile(account, index, name, kids, kids ? `${demo.id}-kids` : `${demo.id}-${index + 1}`);
    });
  }

  const accountCount = Math.max(20, Math.round(1000 * scale));
  for (let a = 1; a <= accountCount; a += 1) {
    const id = `acct-${String(a).padStart(5, '0')}`;
    const country = random.pick(COUNTRIES);
    const account: AccountData = {
      id, email: `viewer${a}@example.com`, country,
      planTier: random.weighted<PlanTier>([['BASIC', 3], ['STANDARD', 5], ['PREMIUM', 2]]),
      createdAt: new Date(DATASET_EPOCH.getTime() - random.int(30, 2000) * DAY),
    };
    accounts.push(account);
    const profileCount = random.int(1, 5);
    const names = random.sample(FIRST_NAMES, profileCount);
    for (let p = 0; p < profileCount; p += 1) {
      const kids = p > 0 && random.chance(0.2);
      addProfile(account, p, kids ? 'Kids' : names[p], kids, `${id}-p${p + 1}`);
    }
  }

  const countryViews: CountryViewsData[] = [];
  for (const title of titles) {
    for (const country of COUNTRIES) {
      // Local taste moves a title up or down a little around its global popularity.
      const views = Math.round(title.popularity * (0.5 + random.next()) * 10);
      const ageDays = (DATASET_EPOCH.getTime() - title.addedAt.getTime()) / DAY;
      const trendingScore = Math.round((views * Math.exp(-ageDays / 120)) * 100) / 100;
      countryViews.push({ titleId: title.id, country, views, trendingScore });
    }
  }

  return { genres, titles, accounts, profiles, myList, progress, countryViews };
}
