import { gql, useApolloClient, useMutation, useQuery } from '@apollo/client';
import { ActiveSessionsDocument, StopPlaybackDocument } from '@streaming/client';
import { ErrorNotice } from './ErrorNotice';
import { deviceId } from './session';


// Read from the cache only: never sent, so it needs no registration.
const TITLE_NAME = gql`
  fragment TitleName on Title {
    name
  }
`;

/**
 * What this profile is playing, on this browser and elsewhere. ActiveSessions names each title by
 * id only; its name comes from the normalized cache, where the home screen already put it.
 */
export function Playback({ profileId }: { profileId: string }) {
  const client = useApolloClient();
  // Other devices' streams arrive by polling; this browser's own starts and stops reach the list
  // through the cache (the start adds its session, the stop's answer marks it ENDED).
  const { data, error } = useQuery(ActiveSessionsDocument, { variables: { profileId }, fetchPolicy: 'cache-and-network', pollInterval: 30_000 });
  const [stop, stopping] = useMutation(StopPlaybackDocument);
  const sessions = (data?.profile?.activeSessions ?? []).filter((s) => s.state === 'PLAYING');
  const nameOf = (titleId: string | undefined) =>
    titleId ? client.readFragment<{ name: string }>({ id: client.cache.identify({ __typename: 'Title', id: titleId }), fragment: TITLE_NAME })?.name ?? titleId : 'an episode';

  return (
    <aside className="playback">
      <h2>Active streams</h2>
      <ErrorNotice error={error ?? stopping.error} />
      {sessions.length === 0 ? <p data-testid="no-streams">Nothing playing.</p> : null}
      <ul>
        {sessions.map((s) => (
          <li key={s.id} data-testid="stream" data-session={s.id} data-title={s.title?.id}>
            <span>{nameOf(s.title?.id)}</span> <small>{s.deviceId === deviceId() ? 'this browser' : s.deviceId}</small>
            {s.deviceId === deviceId() ? (
              <button onClick={() => stop({ variables: { sessionId: s.id, positionSeconds: 0 } }).catch(() => undefined)} disabled={stopping.loading}>
                Stop
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </aside>
  );
}
