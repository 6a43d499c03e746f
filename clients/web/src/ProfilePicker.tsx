import { useQuery } from '@apollo/client';
import { ProfilePickerDocument } from '@streaming/client';
import { ErrorNotice } from './ErrorNotice';

/** Who's watching? */
export function ProfilePicker({ accountId, onPick }: { accountId: string; onPick: (profileId: string) => void }) {
  const { data, loading, error } = useQuery(ProfilePickerDocument, { variables: { accountId } });
  return (
    <section className="profiles">
      <h2>Who's watching?</h2>
      {loading ? <p>Loading profiles…</p> : null}
      <ErrorNotice error={error} />
      {data?.account ? <p className="plan">{data.account.plan.tier} plan, up to {data.account.plan.maxConcurrentStreams} streams</p> : null}
      <ul>
        {data?.account?.profiles.map((p) => (
          <li key={p.id}>
            <button className="profile" data-profile={p.id} data-kids={p.isKids} onClick={() => onPick(p.id)}>
              <span className="avatar" aria-hidden>{p.name.slice(0, 1)}</span>
              {p.name}
              <small>{p.isKids ? 'Kids' : p.maturityRating}</small>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
