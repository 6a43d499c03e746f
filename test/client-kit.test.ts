import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloClient, ApolloLink, gql, InMemoryCache, Observable, type NormalizedCacheObject } from '@apollo/client/core';
import * as kit from '@streaming/client';
import {
  createStreamingClient, HomeScreenDocument, persistedDocumentIds, ProfilePickerDocument, SessionTokens, SignInDocument, TitleDetailsDocument, ViewerDocument,
} from '@streaming/client';
import { ErrorCode } from '@streaming/platform';
import { print, type DocumentNode } from 'graphql';
import { DEFAULT_MANIFEST_PATH } from '../gateway/src/config';
import type { PersistedQueryManifest } from '../gateway/src/persistedQueries/trustedDocumentsPlugin';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph';

/**
 * The typed client kit (packages/client), as a UI team uses it: a real Apollo Client in Node with
 * the kit's links and cache policies, talking HTTP to the real gateway in trusted-documents
 * `enforce` mode, over the real subgraphs.
 */
const ROOT = path.resolve(__dirname, '..');
const manifest = JSON.parse(readFileSync(DEFAULT_MANIFEST_PATH, 'utf8')) as PersistedQueryManifest;
const manifestId = (name: string) => manifest.operations.find((o) => o.name === name)?.id;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const OWNER = 'demo-premium';
const EMAIL = `${OWNER}@example.com`;
const PASSWORD = 'streaming-demo';

interface Sent {
  operationName: string;
  body: Record<string, any>;
  headers: Headers;
  /** The gateway's x-request-id on the answer. */
  answeredId: string | null;
  status: number;
}

let sg: TestSupergraph;
let sent: Sent[];
/** The platform's fetch, recording what each request carried and what came back. */
const recordingFetch: typeof fetch = async (input, init) => {
  const body = JSON.parse(String(init?.body));
  const response = await fetch(input, init);
  sent.push({ operationName: body.operationName, body, headers: new Headers(init?.headers), answeredId: response.headers.get('x-request-id'), status: response.status });
  return response;
};

function newClient(tokens = new SessionTokens()): { client: ApolloClient<NormalizedCacheObject>; tokens: SessionTokens } {
  return { client: createStreamingClient({ uri: sg.gatewayUrl, tokens, fetch: recordingFetch }), tokens };
}

async function signedIn() {
  const { client, tokens } = newClient();
  const { data } = await client.mutate({ mutation: SignInDocument, variables: { email: EMAIL, password: PASSWORD } });
  tokens.set(data!.signIn);
  return { client, tokens, account: data!.signIn.account };
}

/** The same sign-in's access token, already expired (the session stays valid: its refresh token works). */
async function expiredTokenFor(accessToken: string): Promise<string> {
  const { sid } = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8')) as { sid: string };
  return sg.tokenFor(OWNER, { ttlSeconds: -120, sessionId: sid });
}

beforeAll(async () => {
  sg = await startTestSupergraph({ gatewayEnv: { TRUSTED_DOCUMENTS: 'enforce' } });
});
afterAll(async () => {
  await sg?.stop();
});
beforeEach(() => {
  sent = [];
});

describe('one source of truth for persisted-document ids', () => {
  it('the kit carries exactly the manifest\'s operations and ids', () => {
    expect(Object.keys(persistedDocumentIds).sort()).toEqual(manifest.operations.map((o) => o.name).sort());
    for (const [name, id] of Object.entries(persistedDocumentIds)) expect([name, id]).toEqual([name, manifestId(name)]);
  });

  it('each typed document, as Apollo Client sends it, hashes to its id', async () => {
    // What a link sees is what the manifest generator registered (Apollo Client adds __typename).
    const bodies = new Map<string, string>();
    const capture = new ApolloClient({
      cache: new InMemoryCache(),
      link: new ApolloLink((operation) => {
        bodies.set(operation.operationName, print(operation.query));
        return Observable.of({ data: null });
      }),
    });
    const documents = Object.entries(kit).filter(([name]) => name.endsWith('Document')) as [string, DocumentNode][];
    expect(documents.map(([name]) => name.replace(/Document$/, '')).sort()).toEqual(Object.keys(persistedDocumentIds).sort());
    for (const [, document] of documents) {
      const isMutation = document.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation === 'mutation');
      await (isMutation ? capture.mutate({ mutation: document, fetchPolicy: 'no-cache' }) : capture.query({ query: document, fetchPolicy: 'no-cache' })).catch(() => undefined);
    }
    for (const [name, id] of Object.entries(persistedDocumentIds)) expect([name, sha256(bodies.get(name) ?? '')]).toEqual([name, id]);
  });

  it('the committed generated kit matches operations/, the supergraph and the manifest', () => {
    const check = spawnSync(process.execPath, ['scripts/clientKit.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect({ status: check.status, output: `${check.stdout}${check.stderr}` }).toEqual({ status: 0, output: expect.stringContaining('match') });
  });
});

describe('an Apollo Client with the kit, through the gateway enforcing trusted documents', () => {
  it('the gateway refuses an operation sent as text it has not registered', async () => {
    const res = await sg.query('query Mine { genres { id name } }');
    expect(res.errors?.[0].extensions?.code).toBe(ErrorCode.PERSISTED_QUERY_NOT_IN_LIST);
  });

  it('signs in and fetches the home screen, sending every operation by its id only, each request with its own x-request-id', async () => {
    const { client, account } = await signedIn();
    const profile = account.profiles.find((p) => !p.isKids)!;
    const { data } = await client.query({ query: HomeScreenDocument, variables: { profileId: profile.id } });

    expect(data.profile?.name).toBe(profile.name);
    expect(data.profile!.homeRows!.length).toBeGreaterThan(0);
    for (const row of data.profile!.homeRows!) {
      expect(row.title).toEqual(expect.any(String));
      for (const item of row.items) expect(item.artwork?.url).toMatch(/^https?:\/\//);
    }

    expect(sent.map((s) => s.operationName)).toEqual(['SignIn', 'HomeScreen']);
    for (const request of sent) {
      expect(request.status).toBe(200);
      expect(request.body).not.toHaveProperty('query');
      expect(request.body.extensions).toEqual({ persistedQuery: { version: 1, sha256Hash: manifestId(request.operationName) } });
      expect(request.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      // The gateway kept the client's id: the one to quote in a report.
      expect(request.answeredId).toBe(request.headers.get('x-request-id'));
    }
    expect(new Set(sent.map((s) => s.headers.get('x-request-id'))).size).toBe(sent.length);
    expect(sent[0].headers.get('authorization')).toBeNull();
    expect(sent[1].headers.get('authorization')).toMatch(/^Bearer /);
  });

  it('refreshes an expired access token through RefreshSession and sends the operation again', async () => {
    const { client, tokens, account } = await signedIn();
    const signedInSession = tokens.get()!;
    const expired = await expiredTokenFor(signedInSession.accessToken);
    tokens.set({ ...signedInSession, accessToken: expired });
    sent = [];

    const { data } = await client.query({ query: ProfilePickerDocument, variables: { accountId: account.id } });

    expect(data.account?.profiles.map((p) => p.id).sort()).toEqual(account.profiles.map((p) => p.id).sort());
    expect(sent.map((s) => [s.operationName, s.status])).toEqual([['ProfilePicker', 401], ['RefreshSession', 200], ['ProfilePicker', 200]]);
    // The refresh carries no bearer (the expired one would only get it refused) and no text either.
    expect(sent[1].headers.get('authorization')).toBeNull();
    expect(sent[1].body).not.toHaveProperty('query');
    const renewed = tokens.get()!;
    expect(renewed.accessToken).not.toBe(expired);
    expect(renewed.refreshToken).not.toBe(signedInSession.refreshToken);
    expect(sent[2].headers.get('authorization')).toBe(`Bearer ${renewed.accessToken}`);
  });

  it('operations that meet the same expired token share one refresh (refresh tokens are single-use)', async () => {
    const { client, tokens, account } = await signedIn();
    tokens.set({ ...tokens.get()!, accessToken: await expiredTokenFor(tokens.get()!.accessToken) });
    sent = [];

    const [picker, viewer] = await Promise.all([
      client.query({ query: ProfilePickerDocument, variables: { accountId: account.id } }),
      client.query({ query: ViewerDocument }),
    ]);

    expect(picker.data.account?.id).toBe(account.id);
    expect(viewer.data.viewer?.account?.id).toBe(account.id);
    expect(sent.filter((s) => s.operationName === 'RefreshSession')).toHaveLength(1);
    expect(tokens.get()).toBeDefined();
  });

  it('a refused refresh ends the session: the store is cleared and the operation fails UNAUTHENTICATED', async () => {
    const { client, tokens, account } = await signedIn();
    const signedOut = jest.fn();
    tokens.subscribe((session) => session === undefined && signedOut());
    tokens.set({ accessToken: await expiredTokenFor(tokens.get()!.accessToken), refreshToken: 'not-a-refresh-token' });

    const failure = await client.query({ query: ProfilePickerDocument, variables: { accountId: account.id } }).then(() => undefined, (err: unknown) => err);

    expect((failure as { networkError?: { result?: { errors?: { extensions?: { code?: string } }[] } } }).networkError?.result?.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(tokens.get()).toBeUndefined();
    expect(signedOut).toHaveBeenCalledTimes(1);
    expect(sent.filter((s) => s.operationName === 'RefreshSession')).toHaveLength(1);
  });

  it('the normalized cache keeps each title, profile and row once, under its key', async () => {
    const { client, account } = await signedIn();
    const profile = account.profiles.find((p) => !p.isKids)!;
    const { data } = await client.query({ query: HomeScreenDocument, variables: { profileId: profile.id } });
    const rows = data.profile!.homeRows!;
    const titleIds = new Set(rows.flatMap((r) => r.items.map((i) => i.id)));
    const cached = client.cache.extract();
    const key = (__typename: string, id: string) => client.cache.identify({ __typename, id })!;

    expect(cached[key('Profile', profile.id)]).toBeDefined();
    const storedRows = Object.entries(cached[key('Profile', profile.id)]!).find(([field]) => field.startsWith('homeRows'))![1] as { __ref: string }[];
    expect(storedRows).toEqual(rows.map((r) => ({ __ref: key('HomeRow', r.id) })));
    expect(Object.keys(cached).filter((k) => k.startsWith('Title:')).sort()).toEqual([...titleIds].map((id) => key('Title', id)).sort());
    // A title that appears in several rows is one record, which every row refers to.
    const items = (rowId: string) => Object.entries(cached[key('HomeRow', rowId)]!).find(([field]) => field.startsWith('items'))![1] as { __ref: string }[];
    expect(rows.flatMap((r) => items(r.id))).toEqual(rows.flatMap((r) => r.items.map((i) => ({ __ref: key('Title', i.id) }))));

    // What another screen learns about a title lands on the same record the home screen reads.
    const shown = rows[0].items[0];
    const details = await client.query({ query: TitleDetailsDocument, variables: { id: shown.id, profileId: profile.id } });
    const record = client.readFragment({ id: key('Title', shown.id), fragment: gql`fragment Seen on Title { name synopsis maturityRating }` });
    expect(record).toEqual({ __typename: 'Title', name: shown.name, synopsis: details.data.title!.synopsis, maturityRating: shown.maturityRating });
    expect(client.readQuery({ query: HomeScreenDocument, variables: { profileId: profile.id } })?.profile?.homeRows?.[0].items[0].name).toBe(shown.name);
  });
});
