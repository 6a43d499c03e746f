import { useMutation } from '@apollo/client';
import { SignInDocument } from '@streaming/client';
import { useState, type FormEvent } from 'react';
import { ErrorNotice } from './ErrorNotice';
import { signedIn } from './session';

/** The demo accounts are demo-basic, demo-standard and demo-premium @example.com, password streaming-demo. */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [signIn, { loading, error }] = useMutation(SignInDocument);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { data } = await signIn({ variables: { email, password } }).catch(() => ({ data: undefined }));
    if (!data) return;
    signedIn(data.signIn, data.signIn.account.id);
    onSignedIn();
  };

  return (
    <form className="sign-in" onSubmit={submit}>
      <h2>Sign in</h2>
      <label>
        Email <input name="email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
      </label>
      <label>
        Password <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </label>
      <button type="submit" disabled={loading}>{loading ? 'Signing in…' : 'Sign in'}</button>
      <ErrorNotice error={error} />
    </form>
  );
}
