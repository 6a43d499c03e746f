import { useApolloClient, useMutation } from '@apollo/client';
import { SignOutDocument } from '@streaming/client';
import { useEffect, useState } from 'react';
import { DegradedBanner } from './DegradedBanner';
import { Home } from './Home';
import { Playback } from './Playback';
import { ProfilePicker } from './ProfilePicker';
import { current, pickProfile, tokens } from './session';
import { SignIn } from './SignIn';

/** Sign in, pick a profile, then the home screen beside the playback panel. */
export function App() {
  const client = useApolloClient();
  const [state, setState] = useState(current);
  // A refused refresh clears the tokens (the session is over): back to sign-in.
  useEffect(() => tokens.subscribe(() => setState(current())), []);
  const [signOut] = useMutation(SignOutDocument);

  const leave = async () => {
    await signOut().catch(() => undefined);
    tokens.clear();
    await client.clearStore();
    setState(undefined);
  };
  const choose = (profileId: string | undefined) => {
    pickProfile(profileId);
    setState(current());
  };

  return (
    <>
      <header>
        <h1>Streaming</h1>
        {state ? (
          <nav>
            {state.profileId ? <button onClick={() => choose(undefined)}>Switch profile</button> : null}
            <button onClick={leave}>Sign out</button>
          </nav>
        ) : null}
      </header>
      <DegradedBanner />
      <main>
        {!state ? (
          <SignIn onSignedIn={() => setState(current())} />
        ) : !state.profileId ? (
          <ProfilePicker accountId={state.accountId} onPick={choose} />
        ) : (
          <div className="layout">
            <Home profileId={state.profileId} />
            <Playback profileId={state.profileId} />
          </div>
        )}
      </main>
    </>
  );
}
