/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query ActiveSessions($profileId: ID!) {\n  profile(id: $profileId) {\n    id\n    activeSessions {\n      id\n      deviceId\n      state\n      title {\n        id\n      }\n    }\n    continueWatching(first: 20) {\n      positionSeconds\n      durationSeconds\n      completed\n      updatedAt\n      title {\n        id\n        name\n      }\n      episode {\n        id\n      }\n    }\n  }\n}": typeof types.ActiveSessionsDocument,
    "mutation AddToMyList($profileId: ID!, $titleId: ID!) {\n  addToMyList(profileId: $profileId, titleId: $titleId) {\n    id\n    myList {\n      id\n      name\n    }\n  }\n}": typeof types.AddToMyListDocument,
    "mutation CreateProfile($input: CreateProfileInput!) {\n  createProfile(input: $input) {\n    id\n    name\n    isKids\n    maturityRating\n    language\n    account {\n      id\n    }\n  }\n}": typeof types.CreateProfileDocument,
    "mutation DeleteProfile($id: ID!) {\n  deleteProfile(id: $id)\n}": typeof types.DeleteProfileDocument,
    "mutation Heartbeat($input: HeartbeatInput!) {\n  heartbeat(input: $input) {\n    id\n    state\n    positionSeconds\n    lastHeartbeatAt\n  }\n}": typeof types.HeartbeatDocument,
    "query HomeScreen($profileId: ID!, $rows: Int = 10, $itemsPerRow: Int = 20) {\n  profile(id: $profileId) {\n    id\n    name\n    maturityRating\n    homeRows(first: $rows, itemsPerRow: $itemsPerRow) {\n      id\n      kind\n      title\n      items {\n        id\n        name\n        kind\n        maturityRating\n        releaseYear\n        artwork(type: BOXART) {\n          url\n          width\n          height\n        }\n        genres {\n          id\n          name\n        }\n        progress(profileId: $profileId) {\n          positionSeconds\n          durationSeconds\n          completed\n        }\n      }\n    }\n  }\n}": typeof types.HomeScreenDocument,
    "query HomeScreenMoreRows($profileId: ID!, $after: String, $rows: Int = 10, $itemsPerRow: Int = 20) {\n  profile(id: $profileId) {\n    id\n    homeRows(first: $rows, itemsPerRow: $itemsPerRow, after: $after) {\n      id\n      kind\n      title\n      cursor\n      hasMoreRows\n      items {\n        id\n        name\n        kind\n        maturityRating\n        releaseYear\n        artwork(type: BOXART) {\n          url\n          width\n          height\n        }\n        genres {\n          id\n          name\n        }\n        progress(profileId: $profileId) {\n          positionSeconds\n          durationSeconds\n          completed\n        }\n      }\n      itemsPageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": typeof types.HomeScreenMoreRowsDocument,
    "query ProfilePicker($accountId: ID!) {\n  account(id: $accountId) {\n    id\n    email\n    country\n    plan {\n      tier\n      maxConcurrentStreams\n      maxQuality\n    }\n    profiles {\n      id\n      name\n      avatarUrl\n      isKids\n      maturityRating\n      language\n    }\n  }\n}": typeof types.ProfilePickerDocument,
    "mutation RefreshSession($refreshToken: String!) {\n  refreshSession(refreshToken: $refreshToken) {\n    accessToken\n    refreshToken\n    expiresAt\n  }\n}": typeof types.RefreshSessionDocument,
    "mutation RemoveFromMyList($profileId: ID!, $titleId: ID!) {\n  removeFromMyList(profileId: $profileId, titleId: $titleId) {\n    id\n    myList {\n      id\n      name\n    }\n  }\n}": typeof types.RemoveFromMyListDocument,
    "mutation RenewLicense($input: HeartbeatInput!) {\n  heartbeat(input: $input) {\n    id\n    state\n    positionSeconds\n    lastHeartbeatAt\n    manifest {\n      url\n      token\n      expiresAt\n    }\n  }\n}": typeof types.RenewLicenseDocument,
    "query RowMoreItems($profileId: ID!, $rowId: ID!, $after: String!, $first: Int = 20) {\n  profile(id: $profileId) {\n    id\n    homeRow(id: $rowId) {\n      id\n      items(first: $first, after: $after) {\n        id\n        name\n        kind\n        maturityRating\n        releaseYear\n        artwork(type: BOXART) {\n          url\n          width\n          height\n        }\n        genres {\n          id\n          name\n        }\n        progress(profileId: $profileId) {\n          positionSeconds\n          durationSeconds\n          completed\n        }\n      }\n      itemsPageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": typeof types.RowMoreItemsDocument,
    "query Search($profileId: ID!, $query: String!, $first: Int = 20) {\n  profile(id: $profileId) {\n    id\n    search(query: $query, first: $first) {\n      id\n      name\n      kind\n      maturityRating\n      releaseYear\n    }\n  }\n}": typeof types.SearchDocument,
    "mutation SignIn($email: String!, $password: String!) {\n  signIn(email: $email, password: $password) {\n    accessToken\n    refreshToken\n    expiresAt\n    account {\n      id\n      email\n      plan {\n        tier\n      }\n      profiles {\n        id\n        name\n        isKids\n      }\n    }\n  }\n}": typeof types.SignInDocument,
    "mutation SignOut {\n  signOut\n}": typeof types.SignOutDocument,
    "mutation StartPlayback($input: StartPlaybackInput!) {\n  startPlayback(input: $input) {\n    id\n    state\n    positionSeconds\n    deviceId\n    title {\n      id\n      name\n    }\n    episode {\n      id\n      number\n    }\n    manifest {\n      url\n      cdnEdge\n      expiresAt\n      startBitrateKbps\n      renditions {\n        quality\n        bitrateKbps\n        width\n        height\n        codec\n      }\n    }\n  }\n}": typeof types.StartPlaybackDocument,
    "mutation StopPlayback($sessionId: ID!, $positionSeconds: Int) {\n  stopPlayback(sessionId: $sessionId, positionSeconds: $positionSeconds) {\n    id\n    state\n    positionSeconds\n  }\n}": typeof types.StopPlaybackDocument,
    "query TitleDetails($id: ID!, $profileId: ID!) {\n  title(id: $id) {\n    id\n    name\n    kind\n    synopsis\n    releaseYear\n    maturityRating\n    runtimeSeconds\n    genres {\n      id\n      name\n    }\n    artwork(type: HERO) {\n      url\n      width\n      height\n    }\n    seasons {\n      number\n      episodes {\n        id\n        number\n        name\n        runtimeSeconds\n        progress(profileId: $profileId) {\n          positionSeconds\n          durationSeconds\n          completed\n        }\n      }\n    }\n    progress(profileId: $profileId) {\n      positionSeconds\n      durationSeconds\n      completed\n    }\n    similar(first: 10) {\n      id\n      name\n      maturityRating\n    }\n  }\n}": typeof types.TitleDetailsDocument,
    "mutation UpdateProfile($id: ID!, $input: UpdateProfileInput!) {\n  updateProfile(id: $id, input: $input) {\n    id\n    name\n    avatarUrl\n    maturityRating\n    language\n  }\n}": typeof types.UpdateProfileDocument,
    "query Viewer {\n  viewer {\n    account {\n      id\n      email\n      country\n      plan {\n        tier\n        maxConcurrentStreams\n        maxQuality\n      }\n      profiles {\n        id\n        name\n        avatarUrl\n        isKids\n        maturityRating\n        language\n      }\n    }\n  }\n}": typeof types.ViewerDocument,
};
const documents: Documents = {
    "query ActiveSessions($profileId: ID!) {\n  profile(id: $profileId) {\n    id\n    activeSessions {\n      id\n      deviceId\n      state\n      title {\n        id\n      }\n    }\n    continueWatching(first: 20) {\n      positionSeconds\n      durationSeconds\n      completed\n      updatedAt\n      title {\n        id\n        name\n      }\n      episode {\n        id\n      }\n    }\n  }\n}": types.ActiveSessionsDocument,
    "mutation AddToMyList($profileId: ID!, $titleId: ID!) {\n  addToMyList(profileId: $profileId, titleId: $titleId) {\n    id\n    myList {\n      id\n      name\n    }\n  }\n}": types.AddToMyListDocument,
    "mutation CreateProfile($input: CreateProfileInput!) {\n  createProfile(input: $input) {\n    id\n    name\n    isKids\n    maturityRating\n    language\n    account {\n      id\n    }\n  }\n}": types.CreateProfileDocument,
    "mutation DeleteProfile($id: ID!) {\n  deleteProfile(id: $id)\n}": types.DeleteProfileDocument,
    "mutation Heartbeat($input: HeartbeatInput!) {\n  heartbeat(input: $input) {\n    id\n    state\n    positionSeconds\n    lastHeartbeatAt\n  }\n}": types.HeartbeatDocument,
    "query HomeScreen($profileId: ID!, $rows: Int = 10, $itemsPerRow: Int = 20) {\n  profile(id: $profileId) {\n    id\n    name\n    maturityRating\n    homeRows(first: $rows, itemsPerRow: $itemsPerRow) {\n      id\n      kind\n      title\n      items {\n        id\n        name\n        kind\n        maturityRating\n        releaseYear\n        artwork(type: BOXART) {\n          url\n          width\n          height\n        }\n        genres {\n          id\n          name\n        }\n        progress(profileId: $profileId) {\n          positionSeconds\n          durationSeconds\n          completed\n        }\n      }\n    }\n  }\n}": types.HomeScreenDocument,
    "query HomeScreenMoreRows($profileId: ID!, $after: String, $rows: Int = 10, $itemsPerRow: Int = 20) {\n  profile(id: $profileId) {\n    id\n    homeRows(first: $rows, itemsPerRow: $itemsPerRow, after: $after) {\n      id\n      kind\n      title\n      cursor\n      hasMoreRows\n      items {\n        id\n        name\n        kind\n        maturityRating\n        releaseYear\n        artwork(type: BOXART) {\n          url\n          width\n          height\n        }\n        genres {\n          id\n          name\n        }\n        progress(profileId: $profileId) {\n          positionSeconds\n          durationSeconds\n          completed\n        }\n      }\n      itemsPageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": types.HomeScreenMoreRowsDocument,
    "query ProfilePicker($accountId: ID!) {\n  account(id: $accountId) {\n    id\n    email\n    country\n    plan {\n      tier\n      maxConcurrentStreams\n      maxQuality\n    }\n    profiles {\n      id\n      name\n      avatarUrl\n      isKids\n      maturityRating\n      language\n    }\n  }\n}": types.ProfilePickerDocument,
    "mutation RefreshSession($refreshToken: String!) {\n  refreshSession(refreshToken: $refreshToken) {\n    accessToken\n    refreshToken\n    expiresAt\n  }\n}": types.RefreshSessionDocument,
    "mutation RemoveFromMyList($profileId: ID!, $titleId: ID!) {\n  removeFromMyList(profileId: $profileId, titleId: $titleId) {\n    id\n    myList {\n      id\n      name\n    }\n  }\n}": types.RemoveFromMyListDocument,
    "mutation RenewLicense($input: HeartbeatInput!) {\n  heartbeat(input: $input) {\n    id\n    state\n    positionSeconds\n    lastHeartbeatAt\n    manifest {\n      url\n      token\n      expiresAt\n    }\n  }\n}": types.RenewLicenseDocument,
    "query RowMoreItems($profileId: ID!, $rowId: ID!, $after: String!, $first: Int = 20) {\n  profile(id: $profileId) {\n    id\n    homeRow(id: $rowId) {\n      id\n      items(first: $first, after: $after) {\n        id\n        name\n        kind\n        maturityRating\n        releaseYear\n        artwork(type: BOXART) {\n          url\n          width\n          height\n        }\n        genres {\n          id\n          name\n        }\n        progress(profileId: $profileId) {\n          positionSeconds\n          durationSeconds\n          completed\n        }\n      }\n      itemsPageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": types.RowMoreItemsDocument,
    "query Search($profileId: ID!, $query: String!, $first: Int = 20) {\n  profile(id: $profileId) {\n    id\n    search(query: $query, first: $first) {\n      id\n      name\n      kind\n      maturityRating\n      releaseYear\n    }\n  }\n}": types.SearchDocument,
    "mutation SignIn($email: String!, $password: String!) {\n  signIn(email: $email, password: $password) {\n    accessToken\n    refreshToken\n    expiresAt\n    account {\n      id\n      email\n      plan {\n        tier\n      }\n      profiles {\n        id\n        name\n        isKids\n      }\n    }\n  }\n}": types.SignInDocument,
    "mutation SignOut {\n  signOut\n}": types.SignOutDocument,
    "mutation StartPlayback($input: StartPlaybackInput!) {\n  startPlayback(input: $input) {\n    id\n    state\n    positionSeconds\n    deviceId\n    title {\n      id\n      name\n    }\n    episode {\n      id\n      number\n    }\n    manifest {\n      url\n      cdnEdge\n      expiresAt\n      startBitrateKbps\n      renditions {\n        quality\n        bitrateKbps\n        width\n        height\n        codec\n      }\n    }\n  }\n}": types.StartPlaybackDocument,
    "mutation StopPlayback($sessionId: ID!, $positionSeconds: Int) {\n  stopPlayback(sessionId: $sessionId, positionSeconds: $positionSeconds) {\n    id\n    state\n    positionSeconds\n  }\n}": types.StopPlaybackDocument,
    "query TitleDetails($id: ID!, $profileId: ID!) {\n  title(id: $id) {\n    id\n    name\n    kind\n    synopsis\n    releaseYear\n    maturityRating\n    runtimeSeconds\n    genres {\n      id\n      name\n    }\n    artwork(type: HERO) {\n      url\n      width\n      height\n    }\n    seasons {\n      number\n      episodes {\n        id\n        number\n        name\n        runtimeSeconds\n        progress(profileId: $profileId) {\n          positionSeconds\n          durationSeconds\n          completed\n        }\n      }\n    }\n    progress(profileId: $profileId) {\n      positionSeconds\n      durationSeconds\n      completed\n    }\n    similar(first: 10) {\n      id\n      name\n      maturityRating\n    }\n  }\n}": types.TitleDetailsDocument,
    "mutation UpdateProfile($id: ID!, $input: UpdateProfileInput!) {\n  updateProfile(id: $id, input: $input) {\n    id\n    name\n    avatarUrl\n    maturityRating\n    language\n  }\n}": types.UpdateProfileDocument,
    "query Viewer {\n  viewer {\n    account {\n      id\n      email\n      country\n      plan {\n        tier\n        maxConcurrentStreams\n        maxQuality\n      }\n      profiles {\n        id\n        name\n        avatarUrl\n        isKids\n        maturityRating\n        language\n      }\n    }\n  }\n}": types.ViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ActiveSessions($profileId: ID!) {\n  profile(id: $profileId) {\n    id\n    activeSessions {\n      id\n      deviceId\n      state\n      title {\n        id\n      }\n    }\n    continueWatching(first: 20) {\n      positionSeconds\n      durationSeconds\n      completed\n      updatedAt\n      title {\n        id\n        name\n      }\n      episode {\n        id\n      }\n    }\n  }\n}"): (typeof documents)["query ActiveSessions($profileId: ID!) {\n  profile(id: $profileId) {\n    id\n    activeSessions {\n      id\n      deviceId\n      state\n      title {\n        id\n      }\n    }\n    continueWatching(first: 20) {\n      positionSeconds\n      durationSeconds\n      completed\n      updatedAt\n      title {\n        id\n        name\n      }\n      episode {\n        id\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AddToMyList($profileId: ID!, $titleId: ID!) {\n  addToMyList(profileId: $profileId, titleId: $titleId) {\n    id\n    myList {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["mutation AddToMyList($profileId: ID!, $titleId: ID!) {\n  addToMyList(profileId: $profileId, titleId: $titleId) {\n    id\n    myList {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateProfile($input: CreateProfileInput!) {\n  createProfile(input: $input) {\n    id\n    name\n    isKids\n    maturityRating\n    language\n    account {\n      id\n    }\n  }\n}"): (typeof documents)["mutation CreateProfile($input: CreateProfileInput!) {\n  createProfile(input: $input) {\n    id\n    name\n    isKids\n    maturityRating\n    language\n    account {\n      id\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeleteProfile($id: ID!) {\n  deleteProfile(id: $id)\n}"): (typeof documents)["mutation DeleteProfile($id: ID!) {\n  deleteProfile(id: $id)\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Heartbeat($input: HeartbeatInput!) {\n  heartbeat(input: $input) {\n    id\n    state\n    positionSeconds\n    lastHeartbeatAt\n  }\n}"): (typeof documents)["mutation Heartbeat($input: HeartbeatInput!) {\n  heartbeat(input: $input) {\n    id\n    state\n    positionSeconds\n    lastHeartbeatAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query HomeScreen($profileId: ID!, $rows: Int = 10, $itemsPerRow: Int = 20) {\n  profile(id: $profileId) {\n    id\n    name\n    maturityRating\n    homeRows(first: $rows, itemsPerRow: $itemsPerRow) {\n      id\n      kind\n      title\n      items {\n        id\n        name\n        kind\n        maturityRating\n        releaseYear\n        artwork(type: BOXART) {\n          url\n          width\n          height\n        }\n        genres {\n          id\n          name\n        }\n        progress(profileId: $profileId) {\n          positionSeconds\n          durationSeconds\n          completed\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query HomeScreen($profileId: ID!, $rows: Int = 10, $itemsPerRow: Int = 20) {\n  profile(id: $profileId) {\n    id\n    name\n    maturityRating\n    homeRows(first: $rows, itemsPerRow: $itemsPerRow) {\n      id\n      kind\n      title\n      items {\n        id\n        name\n        kind\n        maturityRating\n        releaseYear\n        artwork(type: BOXART) {\n          url\n          width\n          height\n        }\n        genres {\n          id\n          name\n        }\n        progress(profileId: $profileId) {\n          positionSeconds\n          durationSeconds\n          completed\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query HomeScreenMoreRows($profileId: ID!, $after: String, $rows: Int = 10, $itemsPerRow: Int = 20) {\n  profile(id: $profileId) {\n    id\n    homeRows(first: $rows, itemsPerRow: $itemsPerRow, after: $after) {\n      id\n      kind\n      title\n      cursor\n      hasMoreRows\n      items {\n        id\n        name\n        kind\n        maturityRating\n        releaseYear\n        artwork(type: BOXART) {\n          url\n          width\n          height\n        }\n        genres {\n          id\n          name\n        }\n        progress(profileId: $profileId) {\n          positionSeconds\n          durationSeconds\n          completed\n        }\n      }\n      itemsPageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"): (typeof documents)["query HomeScreenMoreRows($profileId: ID!, $after: String, $rows: Int = 10, $itemsPerRow: Int = 20) {\n  profile(id: $profileId) {\n    id\n    homeRows(first: $rows, itemsPerRow: $itemsPerRow, after: $after) {\n      id\n      kind\n      title\n      cursor\n      hasMoreRows\n      items {\n        id\n        name\n        kind\n        maturityRating\n        releaseYear\n        artwork(type: BOXART) {\n          url\n          width\n          height\n        }\n        genres {\n          id\n          name\n        }\n        progress(profileId: $profileId) {\n          positionSeconds\n          durationSeconds\n          completed\n        }\n      }\n      itemsPageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ProfilePicker($accountId: ID!) {\n  account(id: $accountId) {\n    id\n    email\n    country\n    plan {\n      tier\n      maxConcurrentStreams\n      maxQuality\n    }\n    profiles {\n      id\n      name\n      avatarUrl\n      isKids\n      maturityRating\n      language\n    }\n  }\n}"): (typeof documents)["query ProfilePicker($accountId: ID!) {\n  account(id: $accountId) {\n    id\n    email\n    country\n    plan {\n      tier\n      maxConcurrentStreams\n      maxQuality\n    }\n    profiles {\n      id\n      name\n      avatarUrl\n      isKids\n      maturityRating\n      language\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RefreshSession($refreshToken: String!) {\n  refreshSession(refreshToken: $refreshToken) {\n    accessToken\n    refreshToken\n    expiresAt\n  }\n}"): (typeof documents)["mutation RefreshSession($refreshToken: String!) {\n  refreshSession(refreshToken: $refreshToken) {\n    accessToken\n    refreshToken\n    expiresAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RemoveFromMyList($profileId: ID!, $titleId: ID!) {\n  removeFromMyList(profileId: $profileId, titleId: $titleId) {\n    id\n    myList {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["mutation RemoveFromMyList($profileId: ID!, $titleId: ID!) {\n  removeFromMyList(profileId: $profileId, titleId: $titleId) {\n    id\n    myList {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RenewLicense($input: HeartbeatInput!) {\n  heartbeat(input: $input) {\n    id\n    state\n    positionSeconds\n    lastHeartbeatAt\n    manifest {\n      url\n      token\n      expiresAt\n    }\n  }\n}"): (typeof documents)["mutation RenewLicense($input: HeartbeatInput!) {\n  heartbeat(input: $input) {\n    id\n    state\n    positionSeconds\n    lastHeartbeatAt\n    manifest {\n      url\n      token\n      expiresAt\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query RowMoreItems($profileId: ID!, $rowId: ID!, $after: String!, $first: Int = 20) {\n  profile(id: $profileId) {\n    id\n    homeRow(id: $rowId) {\n      id\n      items(first: $first, after: $after) {\n        id\n        name\n        kind\n        maturityRating\n        releaseYear\n        artwork(type: BOXART) {\n          url\n          width\n          height\n        }\n        genres {\n          id\n          name\n        }\n        progress(profileId: $profileId) {\n          positionSeconds\n          durationSeconds\n          completed\n        }\n      }\n      itemsPageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"): (typeof documents)["query RowMoreItems($profileId: ID!, $rowId: ID!, $after: String!, $first: Int = 20) {\n  profile(id: $profileId) {\n    id\n    homeRow(id: $rowId) {\n      id\n      items(first: $first, after: $after) {\n        id\n        name\n        kind\n        maturityRating\n        releaseYear\n        artwork(type: BOXART) {\n          url\n          width\n          height\n        }\n        genres {\n          id\n          name\n        }\n        progress(profileId: $profileId) {\n          positionSeconds\n          durationSeconds\n          completed\n        }\n      }\n      itemsPageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Search($profileId: ID!, $query: String!, $first: Int = 20) {\n  profile(id: $profileId) {\n    id\n    search(query: $query, first: $first) {\n      id\n      name\n      kind\n      maturityRating\n      releaseYear\n    }\n  }\n}"): (typeof documents)["query Search($profileId: ID!, $query: String!, $first: Int = 20) {\n  profile(id: $profileId) {\n    id\n    search(query: $query, first: $first) {\n      id\n      name\n      kind\n      maturityRating\n      releaseYear\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignIn($email: String!, $password: String!) {\n  signIn(email: $email, password: $password) {\n    accessToken\n    refreshToken\n    expiresAt\n    account {\n      id\n      email\n      plan {\n        tier\n      }\n      profiles {\n        id\n        name\n        isKids\n      }\n    }\n  }\n}"): (typeof documents)["mutation SignIn($email: String!, $password: String!) {\n  signIn(email: $email, password: $password) {\n    accessToken\n    refreshToken\n    expiresAt\n    account {\n      id\n      email\n      plan {\n        tier\n      }\n      profiles {\n        id\n        name\n        isKids\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignOut {\n  signOut\n}"): (typeof documents)["mutation SignOut {\n  signOut\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation StartPlayback($input: StartPlaybackInput!) {\n  startPlayback(input: $input) {\n    id\n    state\n    positionSeconds\n    deviceId\n    title {\n      id\n      name\n    }\n    episode {\n      id\n      number\n    }\n    manifest {\n      url\n      cdnEdge\n      expiresAt\n      startBitrateKbps\n      renditions {\n        quality\n        bitrateKbps\n        width\n        height\n        codec\n      }\n    }\n  }\n}"): (typeof documents)["mutation StartPlayback($input: StartPlaybackInput!) {\n  startPlayback(input: $input) {\n    id\n    state\n    positionSeconds\n    deviceId\n    title {\n      id\n      name\n    }\n    episode {\n      id\n      number\n    }\n    manifest {\n      url\n      cdnEdge\n      expiresAt\n      startBitrateKbps\n      renditions {\n        quality\n        bitrateKbps\n        width\n        height\n        codec\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation StopPlayback($sessionId: ID!, $positionSeconds: Int) {\n  stopPlayback(sessionId: $sessionId, positionSeconds: $positionSeconds) {\n    id\n    state\n    positionSeconds\n  }\n}"): (typeof documents)["mutation StopPlayback($sessionId: ID!, $positionSeconds: Int) {\n  stopPlayback(sessionId: $sessionId, positionSeconds: $positionSeconds) {\n    id\n    state\n    positionSeconds\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TitleDetails($id: ID!, $profileId: ID!) {\n  title(id: $id) {\n    id\n    name\n    kind\n    synopsis\n    releaseYear\n    maturityRating\n    runtimeSeconds\n    genres {\n      id\n      name\n    }\n    artwork(type: HERO) {\n      url\n      width\n      height\n    }\n    seasons {\n      number\n      episodes {\n        id\n        number\n        name\n        runtimeSeconds\n        progress(profileId: $profileId) {\n          positionSeconds\n          durationSeconds\n          completed\n        }\n      }\n    }\n    progress(profileId: $profileId) {\n      positionSeconds\n      durationSeconds\n      completed\n    }\n    similar(first: 10) {\n      id\n      name\n      maturityRating\n    }\n  }\n}"): (typeof documents)["query TitleDetails($id: ID!, $profileId: ID!) {\n  title(id: $id) {\n    id\n    name\n    kind\n    synopsis\n    releaseYear\n    maturityRating\n    runtimeSeconds\n    genres {\n      id\n      name\n    }\n    artwork(type: HERO) {\n      url\n      width\n      height\n    }\n    seasons {\n      number\n      episodes {\n        id\n        number\n        name\n        runtimeSeconds\n        progress(profileId: $profileId) {\n          positionSeconds\n          durationSeconds\n          completed\n        }\n      }\n    }\n    progress(profileId: $profileId) {\n      positionSeconds\n      durationSeconds\n      completed\n    }\n    similar(first: 10) {\n      id\n      name\n      maturityRating\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UpdateProfile($id: ID!, $input: UpdateProfileInput!) {\n  updateProfile(id: $id, input: $input) {\n    id\n    name\n    avatarUrl\n    maturityRating\n    language\n  }\n}"): (typeof documents)["mutation UpdateProfile($id: ID!, $input: UpdateProfileInput!) {\n  updateProfile(id: $id, input: $input) {\n    id\n    name\n    avatarUrl\n    maturityRating\n    language\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Viewer {\n  viewer {\n    account {\n      id\n      email\n      country\n      plan {\n        tier\n        maxConcurrentStreams\n        maxQuality\n      }\n      profiles {\n        id\n        name\n        avatarUrl\n        isKids\n        maturityRating\n        language\n      }\n    }\n  }\n}"): (typeof documents)["query Viewer {\n  viewer {\n    account {\n      id\n      email\n      country\n      plan {\n        tier\n        maxConcurrentStreams\n        maxQuality\n      }\n      profiles {\n        id\n        name\n        avatarUrl\n        isKids\n        maturityRating\n        language\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;