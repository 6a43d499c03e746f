import { SessionTokens, type Session } from '@streaming/client';

/**
 * The signed-in session, kept in sessionStorage so a reload stays signed in (a tab's session
 * ends with the tab). The kit's auth link reads and renews the tokens; this file only persists
 * them, with the account and profile the user chose.
 */
const KEY = 'streaming.session';

export interface Stored {
  session: Session;
  accountId: string;
  profileId?: string;
}

function load(): Stored | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Stored) : undefined;
  } catch {
    return undefined;
  }
}

let stored = load();
export const tokens = new SessionTokens(stored?.session);

tokens.subscribe((session) => {
  stored = session && stored ? { ...stored, session } : undefined;
  save();
});

function save() {
  if (stored) sessionStorage.setItem(KEY, JSON.stringify(stored));
  else sessionStorage.removeItem(KEY);
}

export function signedIn(session: Session, accountId: string): void {
  stored = { session, accountId };
  tokens.set(session);
  save();
}

export function pickProfile(profileId: string | undefined): void {
  if (stored) stored = { ...stored, profileId };
  save();
}

export const current = (): Stored | undefined => stored;

/** One id per browser tab, so two tabs are two devices to the stream limit. */
export function deviceId(): string {
  let id = sessionStorage.getItem('streaming.device');
  if (!id) {
    id = `web-${crypto.randomUUID()}`;
    sessionStorage.setItem('streaming.device', id);
  }
  return id;
}
