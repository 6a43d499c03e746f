// The data audit at the end of a run:
//  - final positions: every stop the service acknowledged has its position in the playback
//    database (viewing_progress, keyed by profile and content; the harness plays movies only and
//    never the same (profile, movie) twice, so the row must hold exactly that position);
//  - doubled events: recommendation records applied event ids in processed_events (primary key)
//    in the same transaction as the effect, so that table can't show a double by itself. The
//    effect can: each applied PlaybackStarted adds 1 to country_views.views. The harness tails
//    the event stream to learn each event's type, waits for the consumer to drain, and compares
//    the rise in views with the PlaybackStarted events applied during the run;
//  - stream limits: from the responses, no start was admitted while the account already had as
//    many sessions as its plan allows that were certainly active for the whole start request.
import Redis from 'ioredis';
import { request } from 'undici';
import { sleep, databaseName } from './stack.mjs';
import { STREAM_LIMITS } from './load.mjs';

/** Tails `<prefix>playback-events` of the run's own Redis, remembering every event it sees. */
export class StreamTail {
  constructor(redisUrl, stream) {
    this.stream = stream;
    this.events = new Map(); // event id -> { type, titleId, entries }
    this.entryIds = new Set();
    this.last = '-';
    this.redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 200 });
    this.redis.on('error', () => undefined);
    this.running = false;
  }

  async poll() {
    const start = this.last === '-' ? '-' : `(${this.last}`;
    const entries = await this.redis.xrange(this.stream, start, '+', 'COUNT', 1000);
    for (const [id, fields] of entries) {
      this.last = id;
      if (this.entryIds.has(id)) continue; // read again by a rescan
      this.entryIds.add(id);
      const raw = fields[fields.indexOf('event') + 1];
      try {
        const e = JSON.parse(raw);
        const seen = this.events.get(e.id);
        if (seen) seen.entries += 1;
        else this.events.set(e.id, { type: e.type, titleId: e.titleId, sessionId: e.sessionId, entries: 1 });
      } catch { /* not an event */ }
    }
    return entries.length;
  }

  start() {
    this.running = true;
    this.redis.connect().catch(() => undefined);
    this.loop = (async () => {
      while (this.running) {
        try {
          while ((await this.poll()) === 1000);
        } catch { /* Redis down: the stream's new entries are read once it is back */ }
        await sleep(200);
      }
    })();
  }

  /** After Redis restarts empty, its stream ids start again from the current time. */
  restarted() {
    this.last = '-';
  }

  /** Reads the whole stream again (after the final snapshot, so every applied event still in it is seen). */
  async rescan() {
    this.last = '-';
    while ((await this.poll()) === 1000);
  }

  async stop({ rescan = false } = {}) {
    this.running = false;
    await this.loop;
    if (rescan) await this.rescan().catch(() => undefined);
    this.redis.disconnect();
  }
}

/**
 * How a consumer group's events split between a service's instances: each instance's
 * `events_handled_total{outcome="ok"}` (its /metrics), read every second. A process's counter
 * starts again from zero when it is restarted, so the count is kept per process and summed per
 * instance; what a killed process handled after its last read is missed (at most a second's).
 */
export class ConsumerShares {
  constructor(stack, service, group) {
    Object.assign(this, { stack, service, group });
    this.perProcess = new Map(); // `${instance} ${pid}` -> highest count read
    this.pattern = new RegExp(`^events_handled_total\\{(?=[^}]*group="${group}")(?=[^}]*outcome="ok")[^}]*\\} (\\d+)`, 'm');
  }

  async read() {
    await Promise.all(this.stack.instancesOf(this.service).map(async (instance) => {
      const proc = this.stack.procs[instance];
      if (!proc || proc.exited) return;
      try {
        const res = await request(`http://127.0.0.1:${this.stack.ports[instance]}/metrics`, { headersTimeout: 1000, bodyTimeout: 1000 });
        const found = this.pattern.exec(await res.body.text());
        const key = `${instance} ${proc.pid}`;
        if (found) this.perProcess.set(key, Math.max(this.perProcess.get(key) ?? 0, Number(found[1])));
      } catch { /* down or frozen: read again next time */ }
    }));
  }

  start() {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        await this.read();
        await sleep(1000);
      }
    })();
  }

  async stop() {
    if (!this.running) return this.result;
    this.running = false;
    await this.loop;
    await this.read();
    const byInstance = Object.fromEntries(this.stack.instancesOf(this.service).map((i) => [i, 0]));
    for (const [key, n] of this.perProcess) byInstance[key.split(' ')[0]] += n;
    const counts = Object.values(byInstance);
    this.result = { group: this.group, byInstance, shared: counts.length === 1 || counts.every((n) => n > 0) };
    return this.result;
  }
}

/** Waits until the consumer group has read every entry and has none pending (or the time is up). */
export async function waitForConsumer(redisUrl, stream, group, timeoutMs, log) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  const deadline = Date.now() + timeoutMs;
  let state = 'unknown';
  try {
    while (Date.now() < deadline) {
      try {
        const info = await redis.xinfo('STREAM', stream);
        const lastId = String(info[info.indexOf('last-generated-id') + 1]);
        const groups = await redis.xinfo('GROUPS', stream);
        const g = groups.map((x) => Object.fromEntries(pairs(x))).find((x) => x.name === group);
        if (g) {
          state = `last ${lastId}, delivered ${g['last-delivered-id']}, pending ${g.pending}`;
          if (String(g['last-delivered-id']) === lastId && Number(g.pending) === 0) return { drained: true, state };
        } else state = 'no consumer group';
      } catch (err) {
        state = err.message;
      }
      await sleep(500);
    }
  } finally {
    redis.disconnect();
  }
  log?.(`consumer not drained after ${timeoutMs} ms: ${state}`);
  return { drained: false, state };
}

function pairs(flat) {
  const out = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([String(flat[i]), flat[i + 1]]);
  return out;
}

export async function readModelSnapshot(stack) {
  const db = databaseName('recommendation', stack.dbPrefix);
  const views = await stack.query(db, 'select coalesce(sum(views), 0)::bigint as v from country_views');
  const ids = await stack.query(db, 'select event_id from processed_events');
  return { views: Number(views.rows[0].v), processed: new Set(ids.rows.map((r) => r.event_id)) };
}

export async function auditPositions(stack, sessions) {
  const stopped = sessions.filter((s) => s.stopped);
  const out = { stopsAcknowledged: stopped.length, lost: [], mismatched: [] };
  if (stopped.length) {
    const db = databaseName('playback-session', stack.dbPrefix);
    const r = await stack.query(db,
      `select v.profile_id, v.content_id, v.position_seconds from viewing_progress v
       join unnest($1::text[], $2::text[]) as x(p, c) on v.profile_id = x.p and v.content_id = x.c`,
      [stopped.map((s) => s.profileId), stopped.map((s) => s.titleId)]);
    const found = new Map(r.rows.map((row) => [`${row.profile_id}\u0000${row.content_id}`, row.position_seconds]));
    for (const s of stopped) {
      const key = `${s.profileId}\u0000${s.titleId}`;
      if (!found.has(key)) out.lost.push({ sessionId: s.id, profileId: s.profileId, titleId: s.titleId, sent: s.finalPosition });
      else if (found.get(key) !== s.finalPosition) out.mismatched.push({ sessionId: s.id, profileId: s.profileId, titleId: s.titleId, sent: s.finalPosition, stored: found.get(key) });
    }
  }
  const started = sessions.filter((s) => s.id);
  const unacknowledged = started.filter((s) => !s.stopped);
  const reasons = {};
  for (const s of unacknowledged) {
    const k = s.stopAttempts?.at(-1) ?? (s.finalPosition === undefined ? 'never stopped' : 'unknown');
    reasons[k] = (reasons[k] ?? 0) + 1;
  }
  out.started = started.length;
  out.stopsNotAcknowledged = unacknowledged.length;
  out.stopsNotAcknowledgedBy = reasons;
  return out;
}

export function auditEvents(tail, before, after, drained, sessions = []) {
  const fresh = [...after.processed].filter((id) => !before.processed.has(id));
  let startedApplied = 0;
  let unknown = 0;
  const byType = {};
  for (const id of fresh) {
    const e = tail.events.get(id);
    if (!e) { unknown += 1; continue; }
    byType[e.type] = (byType[e.type] ?? 0) + 1;
    if (e.type === 'PlaybackStarted') startedApplied += 1;
  }
  const viewsAdded = after.views - before.views;
  const published = tail.events.size;
  const notApplied = [...tail.events.keys()].filter((id) => !after.processed.has(id));
  const notAppliedByType = {};
  for (const id of notApplied) { const t = tail.events.get(id).type; notAppliedByType[t] = (notAppliedByType[t] ?? 0) + 1; }
  const publishedTwice = [...tail.events.values()].filter((e) => e.entries > 1).length;
  const out = {
    method: 'rise of country_views.views vs PlaybackStarted events applied (processed_events); types from tailing the stream',
    eventsSeenInStream: published,
    eventsApplied: fresh.length,
    appliedByType: byType,
    appliedButNeverSeenInStream: unknown,
    viewsAdded,
    startedEventsApplied: startedApplied,
    publishedTwice,
    seenButNotApplied: notApplied.length,
    seenButNotAppliedByType: notAppliedByType,
    consumerDrained: drained.drained,
    consumerState: drained.state,
  };
  if (unknown > 0) {
    // An applied event whose type we never saw: the views balance can't be attributed exactly.
    out.doubled = Math.max(0, viewsAdded - startedApplied - unknown);
    out.auditable = false;
    out.note = `${unknown} applied event(s) were never seen in the stream (published and consumed between two polls, or before a Redis restart): the doubled count is a lower bound`;
  } else {
    out.doubled = Math.max(0, viewsAdded - startedApplied);
    out.auditable = true;
  }
  // Starts the service admitted (PlaybackStarted published) whose answer reached the client as
  // an error, without a session id: a stream the client can't stop (its device's next start
  // replaces it, or it times out).
  const known = new Set(sessions.filter((x) => x.id).map((x) => x.id));
  out.startsUnknownToClient = [...tail.events.values()].filter((e) => e.type === 'PlaybackStarted' && !known.has(e.sessionId)).length;
  out.failedStartsByCode = {};
  for (const x of sessions.filter((y) => !y.id && y.outcome !== 'refused')) {
    const k = (x.codes ?? []).join(',') || 'no code';
    out.failedStartsByCode[k] = (out.failedStartsByCode[k] ?? 0) + 1;
  }
  if (viewsAdded < startedApplied) out.viewsMissing = startedApplied - viewsAdded;
  return out;
}

/**
 * A start admitted while the account had `limit` other sessions that were certainly active for
 * the whole start request: started (response received) before it was sent, and not stopped,
 * gone, replaced (same device) or wiped (Redis lost) before its answer came back.
 */
export function auditStreamLimits(sessions, marks) {
  const redisLost = marks.filter((m) => m.what === 'redis-lost').map((m) => m.at);
  const admitted = sessions.filter((s) => s.id);
  const byAccount = new Map();
  for (const s of admitted) (byAccount.get(s.accountId) ?? byAccount.set(s.accountId, []).get(s.accountId)).push(s);
  const endOf = (t, s) => {
    const candidates = [s.stopSentAt, s.goneAt, ...redisLost.filter((x) => x >= s.startDoneAt)].filter((x) => x !== undefined);
    // replaced by the next start on the same device
    const next = byAccount.get(s.accountId).filter((o) => o.deviceId === s.deviceId && o.startSentAt > s.startSentAt).map((o) => o.startSentAt);
    return Math.min(Infinity, ...candidates, ...next);
  };
  const violations = [];
  for (const s of admitted) {
    const limit = STREAM_LIMITS[s.plan];
    const others = byAccount.get(s.accountId).filter((o) => o !== s && o.deviceId !== s.deviceId && o.startDoneAt <= s.startSentAt && endOf(0, o) >= s.startDoneAt);
    if (others.length >= limit) violations.push({ sessionId: s.id, accountId: s.accountId, plan: s.plan, limit, alreadyActive: others.map((o) => o.id) });
  }
  const refused = sessions.filter((s) => s.outcome === 'refused');
  const wrongLimit = refused.filter((s) => s.limit !== undefined && s.limit !== STREAM_LIMITS[s.plan]);
  return { startsAdmitted: admitted.length, startsRefused: refused.length, violations, refusalsWithWrongLimit: wrongLimit.length };
}
