/** A progress row as resolvers and loaders pass it around. */
export interface ProgressRecord {
  profileId: string;
  titleId: string;
  episodeId: string | null;
  positionSeconds: number;
  durationSeconds: number;
  completed: boolean;
  updatedAt: string;
}

export interface TitleReference {
  id: string;
}

export interface EpisodeReference {
  id: string;
}

export interface ProfileReference {
  id: string;
}

/** At or past this share of the runtime a movie or episode counts as watched. */
export const COMPLETION_THRESHOLD = 0.95;
