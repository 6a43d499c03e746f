/** What SignIn and RefreshSession return: a short-lived access token and the refresh token that renews it. */
export interface Session {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires (ISO 8601), as the server said. */
  expiresAt?: string;
}

/**
 * Where the signed-in session lives: the auth link reads the access token from here before every
 * request and writes the renewed pair after a refresh. An app subscribes to persist it (a mobile
 * keychain, sessionStorage) and to notice a sign-out (the store is cleared when a refresh is
 * refused: the session is over and the user has to sign in again).
 */
export class SessionTokens {
  private session: Session | undefined;
  private readonly listeners = new Set<(session: Session | undefined) => void>();

  constructor(initial?: Session) {
    this.session = initial;
  }

  get(): Session | undefined {
    return this.session;
  }

  set(session: Session): void {
    this.session = { accessToken: session.accessToken, refreshToken: session.refreshToken, expiresAt: session.expiresAt };
    this.emit();
  }

  clear(): void {
    if (this.session === undefined) return;
    this.session = undefined;
    this.emit();
  }

  /** Called on every change; returns the unsubscribe function. */
  subscribe(listener: (session: Session | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.session);
  }
}
