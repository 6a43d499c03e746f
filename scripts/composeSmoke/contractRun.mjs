// Every committed operation (operations/), sent to a production gateway the way a registered
// client sends it: by its id in the persisted query manifest, no text (trusted documents are
// enforced in production), signed in as a demo account. Each step checks what a client would see.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ACCOUNT = 'demo-standard';
const PROFILE = 'demo-standard-1';
const PASSWORD = 'streaming-demo';

/**
 * One step per operation, in an order where each one's input comes from earlier answers.
 * `check` returns what it found wrong (or nothing).
 */
function steps(runId) {
  const device = `smoke-${runId}`;
  return [
    {
      operation: 'SignIn',
      variables: () => ({ email: `${ACCOUNT}@example.com`, password: PASSWORD }),
      check: (data, s) => {
        s.token = data.signIn?.accessToken;
        s.refreshToken = data.signIn?.refreshToken;
        return data.signIn?.account?.id === ACCOUNT && s.token ? undefined : `signed in as ${data.signIn?.account?.id}`;
      },
      anonymous: true,
    },
    { operation: 'Viewer', variables: () => ({}), check: (d) => (d.viewer?.account?.id === ACCOUNT ? undefined : 'not the signed-in account') },
    { operation: 'ProfilePicker', variables: () => ({ accountId: ACCOUNT }), check: (d) => (d.account?.profiles?.some((p) => p.id === PROFILE) ? undefined : `${PROFILE} missing`) },
    {
      operation: 'HomeScreen',
      variables: () => ({ profileId: PROFILE, rows: 3, itemsPerRow: 5 }),
      check: (d, s) => {
        const items = (d.profile?.homeRows ?? []).flatMap((r) => r.items);
        s.titleId = items.find((t) => t.kind === 'MOVIE')?.id ?? items[0]?.id;
        return s.titleId ? undefined : 'no rows';
      },
    },
    // Sent as JSON (no multipart Accept): the whole home screen in one answer, deferred tile details included.
    {
      operation: 'HomeScreenDeferred',
      ifRegistered: true,
      variables: () => ({ profileId: PROFILE, rows: 3, itemsPerRow: 5 }),
      check: (d) => {
        const items = (d.profile?.homeRows ?? []).flatMap((r) => r.items);
        if (items.length === 0) return 'no rows';
        return items.every((t) => Array.isArray(t.genres) && t.kind) ? undefined : 'deferred tile details missing';
      },
    },
    // Paging the home screen: the first rows with their cursors, then a row's next titles.
    {
      operation: 'HomeScreenMoreRows',
      ifRegistered: true,
      variables: () => ({ profileId: PROFILE, rows: 2, itemsPerRow: 3 }),
      check: (d, s) => {
        const row = (d.profile?.homeRows ?? []).find((r) => r.itemsPageInfo?.hasNextPage);
        if (!row) return 'no row with more titles';
        s.row = { id: row.id, after: row.itemsPageInfo.endCursor, seen: row.items.map((t) => t.id) };
        return undefined;
      },
    },
    {
      operation: 'RowMoreItems',
      ifRegistered: true,
      variables: (s) => ({ profileId: PROFILE, rowId: s.row?.id, after: s.row?.after, first: 3 }),
      check: (d, s) => {
        const items = d.profile?.homeRow?.items ?? [];
        if (items.length === 0) return 'no further titles';
        return items.some((t) => s.row.seen.includes(t.id)) ? 'a title of the first page again' : undefined;
      },
    },
    { operation: 'TitleDetails', variables: (s) => ({ id: s.titleId, profileId: PROFILE }), check: (d, s) => (d.title?.id === s.titleId ? undefined : 'wrong title') },
    { operation: 'PublicTitleDetails', ifRegistered: true, variables: (s) => ({ id: s.titleId }), check: (d, s) => (d.title?.id === s.titleId && Array.isArray(d.title?.similar) ? undefined : 'wrong title') },
    { operation: 'Search', variables: () => ({ profileId: PROFILE, query: 'the', first: 5 }), check: (d) => (Array.isArray(d.profile?.search) ? undefined : 'no search results list') },
    { operation: 'AddToMyList', variables: (s) => ({ profileId: PROFILE, titleId: s.titleId }), check: (d, s) => (d.addToMyList?.myList?.some((t) => t.id === s.titleId) ? undefined : 'title not in the list') },
    { operation: 'RemoveFromMyList', variables: (s) => ({ profileId: PROFILE, titleId: s.titleId }), check: (d, s) => (d.removeFromMyList?.myList?.some((t) => t.id === s.titleId) ? 'title still in the list' : undefined) },
    {
      operation: 'CreateProfile',
      variables: () => ({ input: { accountId: ACCOUNT, name: `Smoke ${runId}`.slice(0, 50) } }),
      check: (d, s) => {
        s.profileId = d.createProfile?.id;
        return d.createProfile?.account?.id === ACCOUNT ? undefined : 'not created on the account';
      },
    },
    { operation: 'UpdateProfile', variables: (s) => ({ id: s.profileId, input: { name: 'Smoke renamed' } }), check: (d) => (d.updateProfile?.name === 'Smoke renamed' ? undefined : 'not renamed') },
    { operation: 'DeleteProfile', variables: (s) => ({ id: s.profileId }), check: (d) => (d.deleteProfile === true ? undefined : 'not deleted') },
    {
      operation: 'StartPlayback',
      variables: (s) => ({ input: { profileId: PROFILE, titleId: s.titleId, deviceId: device, bandwidthKbps: 5000 } }),
      check: (d, s) => {
        s.sessionId = d.startPlayback?.id;
        return s.sessionId && d.startPlayback.manifest?.url ? undefined : 'no session or manifest';
      },
    },
    { operation: 'Heartbeat', variables: (s) => ({ input: { sessionId: s.sessionId, positionSeconds: 30 } }), check: (d) => (d.heartbeat?.positionSeconds === 30 ? undefined : 'position not taken') },
    // Playback licenses (a heartbeat that renews the manifest's token), where this checkout has them.
    { operation: 'RenewLicense', variables: (s) => ({ input: { sessionId: s.sessionId, positionSeconds: 30 } }), check: (d) => (d.heartbeat?.manifest?.token ? undefined : 'no renewed token'), ifRegistered: true },
    { operation: 'ActiveSessions', variables: () => ({ profileId: PROFILE }), check: (d, s) => (d.profile?.activeSessions?.some((x) => x.id === s.sessionId) ? undefined : 'the session is not listed') },
    { operation: 'StopPlayback', variables: (s) => ({ sessionId: s.sessionId, positionSeconds: 31 }), check: (d) => (d.stopPlayback?.state === 'ENDED' ? undefined : `state ${d.stopPlayback?.state}`) },
    {
      operation: 'RefreshSession',
      variables: (s) => ({ refreshToken: s.refreshToken }),
      check: (d, s) => {
        s.token = d.refreshSession?.accessToken;
        return s.token ? undefined : 'no new access token';
      },
      anonymous: true,
    },
    { operation: 'SignOut', variables: () => ({}), check: (d) => (d.signOut === true ? undefined : 'not signed out') },
  ];
}

export function readManifest(root) {
  const manifest = JSON.parse(readFileSync(path.join(root, 'gateway/persisted-query-manifest.json'), 'utf8'));
  return new Map(manifest.operations.map((o) => [o.name, o.id]));
}

async function post(url, body, token) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, body: await res.json().catch(() => ({})) };
}

/**
 * Runs every step; returns one line per operation and what failed. An operation in the manifest
 * without a step fails the run too: a new contract operation must be added here.
 */
export async function runContract(gatewayUrl, { root, runId }) {
  const ids = readManifest(root);
  const plan = steps(runId);
  const failures = [];
  const lines = [];
  for (const name of ids.keys()) if (!plan.some((s) => s.operation === name)) failures.push(`${name}: in the manifest but not exercised by this check`);
  const state = {};
  for (const step of plan) {
    const id = ids.get(step.operation);
    if (!id && step.ifRegistered) {
      lines.push(`skip ${step.operation}: not an operation of this checkout`);
      continue;
    }
    if (!id) {
      failures.push(`${step.operation}: not in gateway/persisted-query-manifest.json`);
      continue;
    }
    const started = Date.now();
    const { status, body } = await post(gatewayUrl, {
      operationName: step.operation,
      variables: step.variables(state),
      extensions: { persistedQuery: { version: 1, sha256Hash: id } },
    }, step.anonymous ? undefined : state.token);
    const problem = status !== 200 || body.errors?.length
      ? `HTTP ${status} ${JSON.stringify(body.errors?.map((e) => ({ message: e.message, code: e.extensions?.code })) ?? body).slice(0, 400)}`
      : step.check(body.data, state);
    lines.push(`${problem ? 'FAIL' : 'ok  '} ${step.operation} (${Date.now() - started} ms)${problem ? `: ${problem}` : ''}`);
    if (problem) failures.push(`${step.operation}: ${problem}`);
  }
  return { lines, failures, state };
}

/**
 * Production behaviour: an unregistered document is refused, a signed-out token is 401, and a
 * subgraph reached directly answers nobody without the internal credential.
 */
export async function runProductionChecks(gatewayUrl, { signedOutToken, subgraphUrls }) {
  const failures = [];
  for (const [name, url] of Object.entries(subgraphUrls)) {
    const direct = await post(url, { query: '{ _service { sdl } }' });
    if (direct.status !== 401 || direct.body.errors?.[0]?.extensions?.code !== 'INTERNAL_CREDENTIAL_REJECTED') {
      failures.push(`${name}, called directly without the internal credential, got HTTP ${direct.status} ${JSON.stringify(direct.body).slice(0, 200)}, not 401 INTERNAL_CREDENTIAL_REJECTED`);
    }
  }
  const text = await post(gatewayUrl, { query: '{ __typename }' });
  if (text.status !== 400 || text.body.errors?.[0]?.extensions?.code !== 'PERSISTED_QUERY_NOT_IN_LIST') {
    failures.push(`an unregistered document got HTTP ${text.status} ${JSON.stringify(text.body).slice(0, 200)}, not 400 PERSISTED_QUERY_NOT_IN_LIST`);
  }
  if (signedOutToken) {
    const after = await post(gatewayUrl, { query: '{ __typename }' }, signedOutToken);
    if (after.status !== 401) failures.push(`a signed-out token got HTTP ${after.status}, not 401`);
  }
  return failures;
}
