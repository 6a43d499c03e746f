import { useMutation, useQuery, type Reference } from '@apollo/client';
import { HomeScreenMoreRowsDocument, RowMoreItemsDocument, StartPlaybackDocument, type HomeScreenMoreRowsQuery } from '@streaming/client';
import { useState } from 'react';
import { ErrorNotice } from './ErrorNotice';
import { deviceId } from './session';

type Row = NonNullable<NonNullable<HomeScreenMoreRowsQuery['profile']>['homeRows']>[number];
type Tile = Row['items'][number];

const ROWS_PER_PAGE = 4;
const TITLES_PER_PAGE = 8;

/**
 * The home screen a page at a time (HomeScreenMoreRows: its first page is what HomeScreen shows,
 * with the cursors that continue it), rows further down with "More rows" and titles further
 * along a row with "More" (RowMoreItems). The kit's cache policies append the pages, so fetchMore
 * is all it takes.
 */
export function Home({ profileId }: { profileId: string }) {
  const { data, loading, error, fetchMore } = useQuery(HomeScreenMoreRowsDocument, {
    variables: { profileId, rows: ROWS_PER_PAGE, itemsPerRow: TITLES_PER_PAGE },
    notifyOnNetworkStatusChange: true,
    // Rows that arrived are shown even when part of the answer failed; the error is shown too.
    errorPolicy: 'all',
  });
  const [pagingError, setPagingError] = useState<Parameters<typeof ErrorNotice>[0]['error']>();
  const rows = data?.profile?.homeRows ?? [];
  const last = rows[rows.length - 1];

  const moreRows = () =>
    fetchMore({ variables: { after: last.cursor } }).then(() => setPagingError(undefined), setPagingError);
  const moreTitles = (row: Row) =>
    fetchMore({ query: RowMoreItemsDocument, variables: { profileId, rowId: row.id, after: row.itemsPageInfo.endCursor!, first: TITLES_PER_PAGE } })
      .then(() => setPagingError(undefined), setPagingError);

  return (
    <section className="home" aria-busy={loading}>
      {data?.profile ? null : loading ? <p>Loading your home screen…</p> : null}
      <ErrorNotice error={error ?? pagingError} />
      {rows.map((row) => (
        <article key={row.id} className="row" data-testid="row" data-row={row.id} data-kind={row.kind}>
          <h3>{row.title}</h3>
          <ul className="tiles">
            {row.items.map((item) => <TileView key={item.id} item={item} profileId={profileId} />)}
            {row.itemsPageInfo.hasNextPage ? (
              <li className="more">
                <button onClick={() => moreTitles(row)} disabled={loading}>More</button>
              </li>
            ) : null}
          </ul>
        </article>
      ))}
      {data?.profile && rows.length === 0 ? <p>Nothing to show yet.</p> : null}
      {last?.hasMoreRows ? <button className="more-rows" onClick={moreRows} disabled={loading}>More rows</button> : null}
    </section>
  );
}

function TileView({ item, profileId }: { item: Tile; profileId: string }) {
  // The new session joins the profile's active streams in the cache at once: a refetch right
  // after the start could be answered before the session is listed.
  const [start, { loading, error }] = useMutation(StartPlaybackDocument, {
    update(cache, { data }) {
      const session = data?.startPlayback;
      if (!session) return;
      cache.modify({
        id: cache.identify({ __typename: 'Profile', id: profileId }),
        fields: {
          activeSessions(existing, { toReference }) {
            const list = (existing ?? []) as readonly Reference[];
            const ref = toReference({ __typename: 'PlaybackSession', id: session.id });
            return ref && !list.some((s) => s.__ref === ref.__ref) ? [...list, ref] : list;
          },
        },
      });
    },
  });
  const progress = item.progress && item.progress.durationSeconds > 0 ? item.progress : undefined;
  return (
    <li className="tile" data-testid="tile" data-title={item.id} data-rating={item.maturityRating}>
      {item.artwork ? (
        <img src={item.artwork.url} width={item.artwork.width} height={item.artwork.height} alt={item.name} loading="lazy" />
      ) : (
        <div className="no-art">{item.name}</div>
      )}
      <div className="caption">
        <span className="name">{item.name}</span>
        <span className="rating">{item.maturityRating}</span> {item.releaseYear}
      </div>
      {progress ? (
        <progress max={progress.durationSeconds} value={progress.positionSeconds} aria-label={`Watched ${Math.round((100 * progress.positionSeconds) / progress.durationSeconds)}%`} />
      ) : null}
      <button onClick={() => start({ variables: { input: { profileId, titleId: item.id, deviceId: deviceId() } } }).catch(() => undefined)} disabled={loading}>
        {loading ? 'Starting…' : 'Play'}
      </button>
      <ErrorNotice error={error} />
    </li>
  );
}
