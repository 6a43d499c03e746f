import type { DemoIds } from './demoIds';
import type { Caller } from './documentCase';

/** What earlier documents answered (the first gateway's `data`, by document id), for variables that depend on it. */
export type Answers = ReadonlyMap<string, Record<string, any> | null | undefined>;

export interface OperationCase {
  operation: string;
  caller: Caller;
  variables: Record<string, unknown> | ((answers: Answers) => Record<string, unknown>);
}

export interface Fixtures {
  /** A refresh token of a sign-in made before the run (RefreshSession trades it once; the replay serves the rest). */
  refreshToken: string;
  password: string;
}

/** The id of the clean run of the `n`-th case of `operation`, as the harness names it. */
export function committedCaseId(operation: string, n: number, clean: boolean): string {
  return `${clean ? 'clean-' : ''}op-${operation}-${n}`;
}

/**
 * Every operation in operations/, with variables a client would send: the viewer's own ids,
 * another account's, ones that don't exist, defaults left to apply, and each mutation once,
 * in an order that makes sense (create before delete, start before heartbeat and stop). The
 * harness runs each case twice, clean and then with the document's faults, in this order.
 */
export function committedOperationCases(ids: DemoIds, fixtures: Fixtures): OperationCase[] {
  const viewer: Caller = { kind: 'viewer', account: ids.viewerAccount };
  const anonymous: Caller = { kind: 'anonymous' };
  const [own1, own2, own3, own4] = ids.ownProfiles;
  const kids = ids.ownProfiles.find((p) => p.endsWith('-kids')) ?? own1;
  const other = ids.otherProfiles[0];
  const standard: Caller = { kind: 'viewer', account: 'demo-standard' };
  const started = (answers: Answers) => answers.get(committedCaseId('StartPlayback', 0, true))?.startPlayback?.id ?? 'no-session-started';
  return [
    { operation: 'Viewer', caller: viewer, variables: {} },
    { operation: 'Viewer', caller: anonymous, variables: {} },
    { operation: 'ProfilePicker', caller: viewer, variables: { accountId: ids.viewerAccount } },
    { operation: 'ProfilePicker', caller: viewer, variables: { accountId: ids.otherAccounts[0] } },
    { operation: 'ProfilePicker', caller: viewer, variables: { accountId: ids.missingAccounts[0] } },
    { operation: 'HomeScreen', caller: viewer, variables: { profileId: own1 } },
    { operation: 'HomeScreen', caller: viewer, variables: { profileId: kids, rows: 3, itemsPerRow: 5 } },
    { operation: 'HomeScreen', caller: viewer, variables: { profileId: other } },
    { operation: 'HomeScreen', caller: anonymous, variables: { profileId: own2, rows: 2 } },
    { operation: 'HomeScreenDeferred', caller: viewer, variables: { profileId: own1, rows: 3, itemsPerRow: 5 } },
    { operation: 'TitleDetails', caller: viewer, variables: { id: ids.series[0], profileId: own1 } },
    { operation: 'TitleDetails', caller: viewer, variables: { id: ids.allAges.movie, profileId: kids } },
    { operation: 'TitleDetails', caller: viewer, variables: { id: ids.missingTitles[0], profileId: own1 } },
    { operation: 'TitleDetails', caller: viewer, variables: { id: ids.series[1], profileId: other } },
    { operation: 'TitleDetails', caller: anonymous, variables: { id: ids.allAges.series, profileId: own1 } },
    { operation: 'PublicTitleDetails', caller: anonymous, variables: { id: ids.series[0] } },
    { operation: 'PublicTitleDetails', caller: viewer, variables: { id: ids.missingTitles[0] } },
    { operation: 'Search', caller: viewer, variables: { profileId: own1, query: 'the', first: 5 } },
    { operation: 'Search', caller: viewer, variables: { profileId: own3, query: 'zzzqx' } },
    { operation: 'Search', caller: viewer, variables: { profileId: kids, query: 'a' } },
    { operation: 'ActiveSessions', caller: viewer, variables: { profileId: own1 } },
    { operation: 'ActiveSessions', caller: viewer, variables: { profileId: other } },
    { operation: 'AddToMyList', caller: viewer, variables: { profileId: own2, titleId: ids.allAges.movie } },
    { operation: 'AddToMyList', caller: viewer, variables: { profileId: own2, titleId: ids.missingTitles[0] } },
    { operation: 'RemoveFromMyList', caller: viewer, variables: { profileId: own2, titleId: ids.allAges.movie } },
    { operation: 'UpdateProfile', caller: viewer, variables: { id: own4, input: { name: 'Casey', language: 'en-US' } } },
    { operation: 'UpdateProfile', caller: viewer, variables: { id: other, input: { name: 'Not mine' } } },
    { operation: 'CreateProfile', caller: standard, variables: { input: { accountId: 'demo-standard', name: 'Difftest', isKids: true } } },
    { operation: 'CreateProfile', caller: viewer, variables: { input: { accountId: ids.viewerAccount, name: 'Sixth' } } },
    {
      operation: 'DeleteProfile', caller: standard,
      variables: (answers) => ({ id: answers.get(committedCaseId('CreateProfile', 0, true))?.createProfile?.id ?? 'no-profile-created' }),
    },
    {
      operation: 'StartPlayback', caller: viewer,
      variables: { input: { profileId: own3, titleId: ids.allAges.series, episodeId: ids.allAges.firstEpisode, deviceId: 'difftest-console', bandwidthKbps: 8_000 } },
    },
    { operation: 'StartPlayback', caller: viewer, variables: { input: { profileId: own3, titleId: ids.missingTitles[0], deviceId: 'difftest-phone' } } },
    { operation: 'Heartbeat', caller: viewer, variables: (answers) => ({ input: { sessionId: started(answers), positionSeconds: 60, bitrateKbps: 3_000 } }) },
    { operation: 'StopPlayback', caller: viewer, variables: (answers) => ({ sessionId: started(answers), positionSeconds: 90 }) },
    { operation: 'SignIn', caller: anonymous, variables: { email: 'demo-standard@example.com', password: fixtures.password } },
    { operation: 'SignIn', caller: anonymous, variables: { email: 'demo-standard@example.com', password: 'wrong password' } },
    { operation: 'RefreshSession', caller: anonymous, variables: { refreshToken: fixtures.refreshToken } },
    // A sign-in of its own per gateway: the first SignOut would otherwise end the other gateway's.
    { operation: 'SignOut', caller: { kind: 'fresh', account: ids.otherAccounts[0] }, variables: {} },
  ];
}
