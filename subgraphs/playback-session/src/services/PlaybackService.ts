import { randomUUID } from 'node:crypto';
import {
  badUserInput, createLogger, ErrorCode, forbidden, graphQLError, isAllowed, notFound, playbackActiveSessions, playbackHeartbeats, playbackStarts,
  type EventBus, type Viewer,
} from '@streaming/platform';
import type { DomainClients, PlaybackTitle } from '../clients/DomainClients';
import { buildManifest, issueLicense } from '../manifest';
import type { ProgressRepository } from '../repositories/ProgressRepository';
import type { SessionRecord, SessionStore, UpdateOutcome } from '../sessions/SessionRecord';
import type { PlaybackSettings } from '../settings';
import { eventOf, type ProgressWriter } from './ProgressWriter';

export interface StartInput {
  profileId: string;
  titleId: string;
  episodeId?: string | null;
  deviceId: string;
  bandwidthKbps?: number | null;
}

const MAX_DEVICE_ID = 128;
const MAX_BANDWIDTH_KBPS = 10_000_000;

interface Episode {
  id: string;
  runtimeSeconds: number;
}

function checkPosition(argumentName: string, position: number, duration: number): void {
  if (position < 0) throw badUserInput(`${argumentName} must be 0 or more, got ${position}`, argumentName);
  if (position > duration) throw badUserInput(`${argumentName} ${position} is past the end (runtime ${duration} s)`, argumentName);
}

/**
 * Starts, heartbeats and stops playback. Sessions live in the session store (Redis), durable
 * progress in this subgraph's Postgres, and every change goes out on the event stream.
 *
 * Every call acts for a viewer: a profile or a session of another account is NOT_FOUND with
 * the message an unknown id gets, and a stream-limit error only ever lists the viewer's own
 * account's sessions (the profile, hence the account, is the viewer's).
 */
export class PlaybackService {
  private readonly log = createLogger('playback-session');

  constructor(
    private readonly sessions: SessionStore,
    private readonly progress: ProgressRepository,
    private readonly clients: DomainClients,
    private readonly writer: ProgressWriter,
    private readonly events: EventBus,
    private readonly settings: PlaybackSettings,
  ) {}

  /** `requestId` goes with the lookups in the profile and catalog subgraphs (they log under it). */
  async start(viewer: Viewer, input: StartInput, requestId?: string): Promise<SessionRecord> {
    const deviceId = input.deviceId.trim();
    if (deviceId.length === 0) throw badUserInput('deviceId must not be empty', 'deviceId');
    if (deviceId.length > MAX_DEVICE_ID) throw badUserInput(`deviceId must be at most ${MAX_DEVICE_ID} characters`, 'deviceId');
    const bandwidth = input.bandwidthKbps;
    if (bandwidth != null && (bandwidth < 0 || bandwidth > MAX_BANDWIDTH_KBPS)) {
      throw badUserInput(`bandwidthKbps must be between 0 and ${MAX_BANDWIDTH_KBPS}, got ${bandwidth}`, 'bandwidthKbps');
    }

    const [profile, title] = await Promise.all([this.clients.profile(input.profileId, viewer.credential, requestId), this.clients.title(input.titleId, requestId)]);
    if (!profile || profile.account.id !== viewer.accountId) throw notFound(`profile ${input.profileId} does not exist`);
    if (!title) throw notFound(`title ${input.titleId} does not exist`);
    if (!isAllowed(title.maturityRating, profile.maturityRating)) {
      throw forbidden(`title ${title.id} is rated ${title.maturityRating}, above profile ${profile.id}'s ${profile.maturityRating}`);
    }
    const { episode, next } = await this.pickEpisode(input, title, requestId);
    const contentId = episode?.id ?? title.id;
    const durationSeconds = episode?.runtimeSeconds ?? title.runtimeSeconds;
    const [saved] = await this.progress.byContent([profile.id], [contentId]);
    // Resume where the viewer left off, unless they finished it (then start over).
    const resumeAt = saved && !saved.completed ? Math.min(saved.positionSeconds, durationSeconds) : 0;

    const now = Date.now();
    const id = randomUUID();
    const limit = profile.account.plan.maxConcurrentStreams;
    const session: SessionRecord = {
      id, accountId: profile.account.id, profileId: profile.id, country: profile.account.country,
      titleId: title.id, episodeId: episode?.id ?? null, nextEpisodeId: next?.id ?? null, nextEpisodeRuntime: next?.runtimeSeconds ?? null,
      deviceId, state: 'PLAYING', positionSeconds: resumeAt, durationSeconds,
      startedAt: new Date(now).toISOString(), lastHeartbeatAt: new Date(now).toISOString(),
      expiresAt: now + this.settings.sessionTimeoutMs,
      streamLimit: limit,
      manifest: buildManifest({
        sessionId: id, accountId: profile.account.id, streamLimit: limit, titleId: title.id, episodeId: episode?.id ?? null, country: profile.account.country,
        maxQuality: profile.account.plan.maxQuality, bandwidthKbps: bandwidth,
        secret: this.settings.manifestSecret, ttlSeconds: this.settings.manifestTtlSeconds, now: new Date(now),
      }),
    };
    const outcome = await this.sessions.start(session, limit, now);
    if (outcome.kind === 'limit') {
      playbackStarts.inc({ outcome: 'refused_stream_limit' });
      throw graphQLError(
        ErrorCode.CONCURRENT_STREAM_LIMIT,
        `account ${profile.account.id} is already playing ${outcome.active.length} of ${limit} streams its plan allows; stop one to start another`,
        {
          maxConcurrentStreams: limit,
          activeSessions: outcome.active.map((s) => ({ id: s.id, deviceId: s.deviceId, profileId: s.profileId, titleId: s.titleId, episodeId: s.episodeId, startedAt: s.startedAt })),
        },
      );
    }
    playbackStarts.inc({ outcome: 'started' });
    const started = outcome.session;
    playbackActiveSessions.inc();
    // The same device started something else: its old session ended, with its last position.
    if (outcome.replaced) await this.writer.recordStop(outcome.replaced);
    // The stream is admitted and playing: a failure to announce it must not fail the start (the
    // first flushed heartbeat announces the activity again).
    await this.events.publish([eventOf(started, 'PlaybackStarted', false)]).catch((err) => this.log.error('PlaybackStarted not published', err));
    return started;
  }

  /**
   * A series plays the episode asked for, or resumes the one watched last (or starts at the
   * first). The episode must belong to the title; an id the catalog doesn't know is NOT_FOUND.
   */
  private async pickEpisode(input: StartInput, title: PlaybackTitle, requestId?: string): Promise<{ episode: Episode | null; next: Episode | null }> {
    const episodes = title.seasons.flatMap((s) => s.episodes);
    if (title.kind === 'MOVIE') {
      if (input.episodeId) throw badUserInput(`title ${title.id} is a movie and has no episodes; leave episodeId out`, 'episodeId');
      return { episode: null, next: null };
    }
    if (episodes.length === 0) throw notFound(`series ${title.id} has no episodes yet`);
    let index: number;
    if (input.episodeId) {
      index = episodes.findIndex((e) => e.id === input.episodeId);
      if (index < 0) {
        const series = await this.clients.seriesOfEpisode(input.episodeId, requestId);
        if (!series) throw notFound(`episode ${input.episodeId} does not exist`);
        throw badUserInput(`episode ${input.episodeId} belongs to title ${series}, not ${title.id}`, 'episodeId');
      }
    } else {
      const latest = await this.progress.latestForTitle(input.profileId, title.id);
      index = Math.max(0, episodes.findIndex((e) => e.id === latest?.episodeId));
    }
    return { episode: episodes[index], next: episodes[index + 1] ?? null };
  }

  async heartbeat(viewer: Viewer, sessionId: string, positionSeconds: number, bitrateKbps?: number | null, requestId?: string): Promise<SessionRecord> {
    playbackHeartbeats.inc();
    if (bitrateKbps != null && (bitrateKbps < 0 || bitrateKbps > MAX_BANDWIDTH_KBPS)) {
      throw badUserInput(`bitrateKbps must be between 0 and ${MAX_BANDWIDTH_KBPS}, got ${bitrateKbps}`, 'bitrateKbps');
    }
    const current = await this.get(viewer, sessionId);
    if (!current) throw notFound(`playback session ${sessionId} does not exist`);
    checkPosition('positionSeconds', positionSeconds, current.durationSeconds);
    const limit = await this.currentStreamLimit(viewer, current, requestId);
    const now = Date.now();
    const session = this.settle(sessionId, await this.sessions.heartbeat(sessionId, viewer.accountId, positionSeconds, now, this.settings.sessionTimeoutMs));
    // The plan shrank under its playing sessions (a downgrade): the earliest started keep their
    // licenses, the rest are not renewed, so their tokens run out within the license lifetime.
    // Only then does it cost a second round trip: the usual heartbeat is on the plan it began on.
    if (limit < session.streamLimit && (await this.sessions.licenseState(sessionId, session.accountId, limit)) === 'over-limit') {
      throw graphQLError(
        ErrorCode.CONCURRENT_STREAM_LIMIT,
        `account ${session.accountId}'s plan now allows ${limit} stream${limit === 1 ? '' : 's'} at once and this one started after them; stop another to play here`,
        { maxConcurrentStreams: limit },
      );
    }
    const renewed = { ...session, streamLimit: Math.min(limit, session.streamLimit) };
    return { ...renewed, manifest: { ...session.manifest, ...this.renewLicense(renewed, now) } };
  }

  /**
   * The account's plan limit now, asked of the profile subgraph (from its cache) at each renewal
   * as at each start, so a downgrade reaches streams already playing. If the profile subgraph
   * can't answer, the limit the session started under stands: a playing stream is not cut for an
   * outage elsewhere, and the start-time limit was right when it was taken.
   */
  private async currentStreamLimit(viewer: Viewer, session: SessionRecord, requestId?: string): Promise<number> {
    try {
      const profile = await this.clients.profile(session.profileId, viewer.credential, requestId);
      return profile?.account.plan.maxConcurrentStreams ?? session.streamLimit;
    } catch (err) {
      this.log.error('plan not checked at license renewal: keeping the limit the session started under', err, { sessionId: session.id, requestId });
      return session.streamLimit;
    }
  }

  /**
   * A heartbeat is the license renewal: the session still plays, so its manifest gets a fresh
   * token (same edge, same title), good for the license lifetime from now. Not stored: the token
   * is derived from the session, and the authorization check asks the session, not the token.
   */
  private renewLicense(session: SessionRecord, now: number) {
    return issueLicense({
      sessionId: session.id, accountId: session.accountId, streamLimit: session.streamLimit, titleId: session.titleId, episodeId: session.episodeId,
      edge: session.manifest.cdnEdge, secret: this.settings.manifestSecret, ttlSeconds: this.settings.manifestTtlSeconds, now: new Date(now),
    });
  }

  async stop(viewer: Viewer, sessionId: string, positionSeconds?: number | null): Promise<SessionRecord> {
    const current = await this.get(viewer, sessionId);
    if (!current) throw notFound(`playback session ${sessionId} does not exist`);
    if (positionSeconds != null) checkPosition('positionSeconds', positionSeconds, current.durationSeconds);
    const outcome = await this.sessions.stop(sessionId, viewer.accountId, positionSeconds ?? null, Date.now());
    // Stopping twice (a retry) returns the ended session. A stop whose first try was cut off after
    // Redis applied it (the answer lost, or the Postgres write failed) has its final position
    // written now: writing it again is harmless, never writing it would lose it.
    if (outcome.kind === 'ended') {
      if (outcome.session.endReason === 'stopped') await this.writer.writeFinal(outcome.session);
      return outcome.session;
    }
    const session = this.settle(sessionId, outcome);
    await this.writer.recordStop(session);
    return session;
  }

  private settle(sessionId: string, outcome: UpdateOutcome): SessionRecord {
    switch (outcome.kind) {
      case 'missing':
        throw notFound(`playback session ${sessionId} does not exist`);
      case 'ended':
        throw graphQLError(ErrorCode.SESSION_ENDED, `playback session ${sessionId} has ended; start playback again`);
      case 'expired':
        throw graphQLError(ErrorCode.SESSION_EXPIRED,
          `playback session ${sessionId} expired after ${this.settings.sessionTimeoutMs / 1000} s without a heartbeat; start playback again`);
      default:
        return outcome.session;
    }
  }

  /** The profile's playing sessions; the caller has checked that the viewer owns the profile. */
  activeSessions(viewer: Viewer, profileId: string): Promise<SessionRecord[]> {
    return this.sessions.activeByProfile(profileId, viewer.accountId, Date.now());
  }

  /** The session if it is one of the viewer's account's; null otherwise, as for an unknown id. */
  async get(viewer: Viewer, sessionId: string): Promise<SessionRecord | null> {
    return this.sessions.get(sessionId, viewer.accountId);
  }
}
