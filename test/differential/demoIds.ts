import { generateDataset } from '@streaming/demo-data';

/** The ids documents ask about: the viewer's, another account's, and ones that don't exist. */
export interface DemoIds {
  /** The signed-in account (every document is sent with its token unless it says otherwise). */
  viewerAccount: string;
  ownProfiles: string[];
  otherAccounts: string[];
  otherProfiles: string[];
  missingAccounts: string[];
  missingProfiles: string[];
  titles: string[];
  series: string[];
  movies: string[];
  /** Titles every profile may see (rated ALL): starting playback of one succeeds for any profile. */
  allAges: { movie: string; series: string; firstEpisode: string };
  missingTitles: string[];
  titleNames: string[];
  /** Playback sessions started before the run: the viewer's and another account's. */
  sessions: string[];
  missingSessions: string[];
}

export const VIEWER_ACCOUNT = 'demo-premium';
export const OTHER_ACCOUNT = 'demo-basic';

/** The ids of the seeded demo data (the same generator the subgraphs seeded themselves from). */
export function demoIds(scale: number, sessions: string[]): DemoIds {
  const dataset = generateDataset({ scale });
  const profilesOf = (account: string) => dataset.profiles.filter((p) => p.accountId === account).map((p) => p.id);
  const series = dataset.titles.filter((t) => t.kind === 'SERIES');
  const movies = dataset.titles.filter((t) => t.kind === 'MOVIE');
  const allAgesSeries = series.find((t) => t.maturityRating === 'ALL') ?? series[0];
  return {
    viewerAccount: VIEWER_ACCOUNT,
    ownProfiles: profilesOf(VIEWER_ACCOUNT),
    otherAccounts: [OTHER_ACCOUNT, 'acct-00001'],
    otherProfiles: [...profilesOf(OTHER_ACCOUNT), ...profilesOf('acct-00001')],
    missingAccounts: ['acct-99999'],
    missingProfiles: [`${VIEWER_ACCOUNT}-9`, 'no-such-profile'],
    titles: dataset.titles.map((t) => t.id),
    series: series.map((t) => t.id),
    movies: movies.map((t) => t.id),
    allAges: { movie: (movies.find((t) => t.maturityRating === 'ALL') ?? movies[0]).id, series: allAgesSeries.id, firstEpisode: allAgesSeries.seasons[0].episodes[0].id },
    missingTitles: ['t-99999', 'no-such-title'],
    titleNames: dataset.titles.map((t) => t.name),
    sessions,
    missingSessions: ['no-such-session'],
  };
}
