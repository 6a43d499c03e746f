import type { TitleFeature } from '../domain';

export interface Similarity {
  titleId: string;
  similarTitleId: string;
  score: number;
}

export const NEIGHBOURS = 20;

/**
 * Item-based collaborative filtering: two titles are similar when the same profiles watched
 * both (cosine over the profile-title matrix). Titles nobody has watched together fall back to
 * titles sharing their genres, by popularity, scored below any co-viewing match, so every title
 * gets NEIGHBOURS and co-viewing always ranks first. Pure and deterministic (ties by id).
 */
export function computeSimilarities(histories: Map<string, string[]>, titles: TitleFeature[]): Similarity[] {
  const viewers = new Map<string, number>();
  const together = new Map<string, Map<string, number>>();
  for (const watched of histories.values()) {
    const unique = [...new Set(watched)];
    for (const a of unique) {
      viewers.set(a, (viewers.get(a) ?? 0) + 1);
      let row = together.get(a);
      if (!row) together.set(a, (row = new Map()));
      for (const b of unique) if (a !== b) row.set(b, (row.get(b) ?? 0) + 1);
    }
  }

  const byPopularity = [...titles].sort((a, b) => b.popularity - a.popularity || a.id.localeCompare(b.id));
  const byGenre = new Map<string, TitleFeature[]>();
  for (const title of byPopularity) for (const g of title.genreIds) byGenre.set(g, [...(byGenre.get(g) ?? []), title]);

  const out: Similarity[] = [];
  for (const title of titles) {
    const scored: Similarity[] = [];
    for (const [other, count] of together.get(title.id) ?? []) {
      const score = count / Math.sqrt((viewers.get(title.id) ?? 1) * (viewers.get(other) ?? 1));
      scored.push({ titleId: title.id, similarTitleId: other, score: 1 + score });
    }
    scored.sort((a, b) => b.score - a.score || a.similarTitleId.localeCompare(b.similarTitleId));
    const chosen = scored.slice(0, NEIGHBOURS);
    const taken = new Set([title.id, ...chosen.map((s) => s.similarTitleId)]);
    // Genre fallback: shared genres, most popular first; scores in (0, 1) keep them below co-viewing.
    for (const genreId of title.genreIds) {
      for (const candidate of byGenre.get(genreId) ?? []) {
        if (chosen.length >= NEIGHBOURS) break;
        if (taken.has(candidate.id)) continue;
        taken.add(candidate.id);
        chosen.push({ titleId: title.id, similarTitleId: candidate.id, score: 1 / (2 + chosen.length) });
      }
    }
    out.push(...chosen);
  }
  return out;
}
