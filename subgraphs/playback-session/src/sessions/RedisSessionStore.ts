import { createLogger, createRedisClient, failFastRedisOptions, serviceUnavailable, shardTag, shardTags, waitForReplica, type RedisClient } from '@streaming/platform';
import { RETENTION_MS, type ExpiredSessions, type LicenseState, type SessionRecord, type SessionStore, type StartOutcome, type UpdateOutcome } from './SessionRecord';

/*
 * Keys, under one prefix and, on a Redis Cluster, one shard tag per account (`{ps:<n>}`, see
 * keysOf): s:<id> the session (JSON), a:<account> and p:<profile> sorted sets of active session
 * ids scored by expiry, live the same for every session of the shard (for the expiry sweep),
 * d:<account>:<device> the device's current session, dirty the ids whose position the progress
 * writer has yet to persist, pending-final the expired sessions whose final position it has yet
 * to write (scored by when the next try is due). Each script reads and writes them atomically;
 * that is what holds the stream limit under concurrent starts. The sets expire with their last
 * session (pending-final empties as final positions are written).
 *
 * A script is given its fixed keys in KEYS (a cluster routes it by them) and derives only the
 * keys named by the data it reads (another session of the account, its profile's set): all under
 * the same shard tag, hence in the same slot. Every script reads the time from Redis (TIME), so
 * replicas of this service with skewed clocks agree about which sessions have expired.
 */

// Redis' clock, in ms. Write scripts may call TIME: Redis 7 replicates their effects, not the script.
const NOW = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

// KEYS: a:<account>, d:<account>:<device>, p:<profile>, s:<id>, live, dirty
// ARGV: namespace (prefix and shard tag), limit, session json, retention ms, sent at (caller's ms)
// The session's expiry is moved onto Redis' clock: it keeps the time to run the caller gave it.
const START = `${NOW}
local ns, limit = ARGV[1], tonumber(ARGV[2])
local session = cjson.decode(ARGV[3])
session.expiresAt = session.expiresAt - tonumber(ARGV[5]) + now
local raw = cjson.encode(session)
local accountKey, deviceKey, profileKey = KEYS[1], KEYS[2], KEYS[3]
redis.call('ZREMRANGEBYSCORE', accountKey, '-inf', now)
local replacedId = redis.call('GET', deviceKey)
local replacedRaw = false
if replacedId and redis.call('ZSCORE', accountKey, replacedId) then
  replacedRaw = redis.call('GET', ns .. 's:' .. replacedId)
end
local active = redis.call('ZRANGE', accountKey, 0, -1)
local others = {}
for _, id in ipairs(active) do
  if not (replacedRaw and id == replacedId) then table.insert(others, id) end
end
if #others >= limit then
  local sessions = {}
  for _, id in ipairs(others) do
    local other = redis.call('GET', ns .. 's:' .. id)
    if other then table.insert(sessions, other) end
  end
  return {'limit', sessions}
end
if replacedRaw then
  local old = cjson.decode(replacedRaw)
  old.state = 'ENDED'
  old.endReason = 'replaced'
  replacedRaw = cjson.encode(old)
  redis.call('SET', ns .. 's:' .. replacedId, replacedRaw, 'KEEPTTL')
  redis.call('ZREM', accountKey, replacedId)
  redis.call('ZREM', ns .. 'p:' .. old.profileId, replacedId)
  redis.call('ZREM', KEYS[5], replacedId)
  redis.call('SREM', KEYS[6], replacedId)
end
local keep = math.max(1, session.expiresAt - now + tonumber(ARGV[4]))
redis.call('ZREMRANGEBYSCORE', profileKey, '-inf', now)
redis.call('SET', KEYS[4], raw, 'PX', keep)
redis.call('ZADD', accountKey, session.expiresAt, session.id)
redis.call('ZADD', profileKey, session.expiresAt, session.id)
redis.call('ZADD', KEYS[5], session.expiresAt, session.id)
redis.call('PEXPIRE', accountKey, keep)
redis.call('PEXPIRE', profileKey, keep)
redis.call('SET', deviceKey, session.id, 'PX', keep)
return {'started', {replacedRaw or '', raw}}
`;

// KEYS: s:<id>, a:<account>, live, dirty
// ARGV: namespace, id, account, position, timeout ms, now iso, retention ms
const HEARTBEAT = `${NOW}
local ns, id, position, timeout = ARGV[1], ARGV[2], tonumber(ARGV[4]), tonumber(ARGV[5])
local raw = redis.call('GET', KEYS[1])
if not raw then return {'missing', ''} end
local s = cjson.decode(raw)
if s.accountId ~= ARGV[3] then return {'missing', ''} end
if s.state == 'ENDED' and s.endReason == 'expired' then return {'expired', raw} end
if s.state == 'ENDED' then return {'ended', raw} end
if s.expiresAt <= now then return {'expired', raw} end
s.expiresAt = now + timeout
local kind = 'unchanged'
if s.positionSeconds ~= position then
  s.positionSeconds = position
  s.lastHeartbeatAt = ARGV[6]
  kind = 'updated'
  redis.call('SADD', KEYS[4], id)
end
raw = cjson.encode(s)
local keep = timeout + tonumber(ARGV[7])
local profileKey = ns .. 'p:' .. s.profileId
redis.call('SET', KEYS[1], raw, 'PX', keep)
redis.call('ZADD', KEYS[2], s.expiresAt, id)
redis.call('ZADD', profileKey, s.expiresAt, id)
redis.call('ZADD', KEYS[3], s.expiresAt, id)
redis.call('PEXPIRE', KEYS[2], keep)
redis.call('PEXPIRE', profileKey, keep)
redis.call('PEXPIRE', ns .. 'd:' .. s.accountId .. ':' .. s.deviceId, keep)
return {kind, raw}
`;

// KEYS: s:<id>, a:<account>, live, dirty
// ARGV: namespace, id, account, position ('' to keep), now iso
const STOP = `
local ns, id = ARGV[1], ARGV[2]
local raw = redis.call('GET', KEYS[1])
if not raw then return {'missing', ''} end
local s = cjson.decode(raw)
if s.accountId ~= ARGV[3] then return {'missing', ''} end
if s.state == 'ENDED' then return {'ended', raw} end
s.state = 'ENDED'
s.endReason = 'stopped'
if ARGV[4] ~= '' then s.positionSeconds = tonumber(ARGV[4]) end
s.lastHeartbeatAt = ARGV[5]
raw = cjson.encode(s)
redis.call('SET', KEYS[1], raw, 'KEEPTTL')
redis.call('ZREM', KEYS[2], id)
redis.call('ZREM', ns .. 'p:' .. s.profileId, id)
redis.call('ZREM', KEYS[3], id)
redis.call('SREM', KEYS[4], id)
local deviceKey = ns .. 'd:' .. s.accountId .. ':' .. s.deviceId
if redis.call('GET', deviceKey) == id then redis.call('DEL', deviceKey) end
return {'updated', raw}
`;

// KEYS: live, pending-final, dirty (of one shard). ARGV: namespace, max, retry-after ms,
// retention ms. Ends expired sessions and moves them from live to pending-final, then hands out
// the pending ones that are due, each withheld from other sweeps until retry-after has passed: a
// session leaves pending-final only once its final position is written (finishExpired), so a
// failed write is tried again, never lost. Its record is kept while it is pending. Returns
// {sessions ended now, {pending session json, ...}}.
const SWEEP = `${NOW}
local ns, max = ARGV[1], tonumber(ARGV[2])
local retryAfter, retention = tonumber(ARGV[3]), tonumber(ARGV[4])
local liveKey, pendingKey = KEYS[1], KEYS[2]
local ids = redis.call('ZRANGEBYSCORE', liveKey, '-inf', now, 'LIMIT', 0, max)
local ended = 0
for _, id in ipairs(ids) do
  redis.call('ZREM', liveKey, id)
  local raw = redis.call('GET', ns .. 's:' .. id)
  if raw then
    local s = cjson.decode(raw)
    if s.state == 'PLAYING' and s.expiresAt <= now then
      s.state = 'ENDED'
      s.endReason = 'expired'
      raw = cjson.encode(s)
      redis.call('SET', ns .. 's:' .. id, raw, 'KEEPTTL')
      redis.call('ZREM', ns .. 'a:' .. s.accountId, id)
      redis.call('ZREM', ns .. 'p:' .. s.profileId, id)
      redis.call('SREM', KEYS[3], id)
      redis.call('ZADD', pendingKey, now, id)
      ended = ended + 1
    end
  end
end
local due = redis.call('ZRANGEBYSCORE', pendingKey, '-inf', now, 'LIMIT', 0, max)
local pending = {}
for _, id in ipairs(due) do
  local key = ns .. 's:' .. id
  local raw = redis.call('GET', key)
  if raw then
    redis.call('ZADD', pendingKey, now + retryAfter, id)
    redis.call('PEXPIRE', key, retryAfter + retention)
    table.insert(pending, raw)
  else
    redis.call('ZREM', pendingKey, id)
  end
end
return {ended, pending}
`;

// KEYS: a:<account>, s:<id>. ARGV: namespace, session id, account id, stream limit. The playback
// authorization check, per segment request: a playing session is answered from the account's
// active set alone (ZSCORE, ZCOUNT); only a session that isn't playing has its record read, to
// say why. Read-only (it can run on a replica) and on Redis' clock.
const LICENSE = `#!lua flags=no-writes
${NOW}
local ns, id, account, limit = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local accountKey = KEYS[1]
local score = redis.call('ZSCORE', accountKey, id)
if score and tonumber(score) > now then
  if redis.call('ZCOUNT', accountKey, '(' .. now, '+inf') <= limit then return 'live' end
  local started = {}
  for _, other in ipairs(redis.call('ZRANGEBYSCORE', accountKey, '(' .. now, '+inf')) do
    local raw = redis.call('GET', ns .. 's:' .. other)
    if raw then started[other] = cjson.decode(raw).startedAt end
  end
  local own = started[id]
  if not own then return 'unknown' end
  local ahead = 0
  for other, at in pairs(started) do
    if other ~= id and (at < own or (at == own and other < id)) then ahead = ahead + 1 end
  end
  if ahead < limit then return 'live' end
  return 'over-limit'
end
local raw = redis.call('GET', KEYS[2])
if not raw then return 'unknown' end
local s = cjson.decode(raw)
if s.accountId ~= account then return 'unknown' end
if s.state == 'ENDED' then return s.endReason or 'stopped' end
return 'expired'
`;

// KEYS: p:<profile>. ARGV: namespace. The profile's sessions still playing on Redis' clock.
const ACTIVE = `#!lua flags=no-writes
${NOW}
local sessions = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')) do
  local raw = redis.call('GET', ARGV[1] .. 's:' .. id)
  if raw then table.insert(sessions, raw) end
end
return sessions
`;

// KEYS: dirty (of one shard). ARGV: namespace, max. Takes up to max ids, with their sessions.
const TAKE_DIRTY = `
local sessions = {}
for _, id in ipairs(redis.call('SPOP', KEYS[1], tonumber(ARGV[2]))) do
  local raw = redis.call('GET', ARGV[1] .. 's:' .. id)
  if raw then table.insert(sessions, raw) end
end
return sessions
`;

type ScriptResult = [string, string | string[]];

// name: [script, how many of its arguments are keys]
const SCRIPTS = {
  sessionStart: [START, 6], sessionHeartbeat: [HEARTBEAT, 4], sessionStop: [STOP, 4], sessionSweep: [SWEEP, 3],
  sessionLicense: [LICENSE, 2], sessionActive: [ACTIVE, 1], sessionTakeDirty: [TAKE_DIRTY, 1],
} as const;
type ScriptName = keyof typeof SCRIPTS;
const READ_ONLY: ReadonlySet<ScriptName> = new Set(['sessionLicense', 'sessionActive']);
const REPLICATED: ReadonlySet<ScriptName> = new Set(['sessionStart', 'sessionStop']);

/**
 * Shards of a Redis Cluster that sessions are spread over, by account. Fixed: changing it moves
 * accounts to other shards, stranding their live sessions (players start again). 32 spreads them
 * evenly over a few masters while a sweep (one script per shard) stays cheap.
 */
const CLUSTER_SHARDS = 32;
type ScriptCommands = Record<ScriptName, (...args: (string | number)[]) => Promise<unknown>>;

/** Lua's cjson writes an empty table as {} and may write whole numbers as 1e+12: normalise. */
function parse(raw: string): SessionRecord {
  const s = JSON.parse(raw) as SessionRecord;
  s.expiresAt = Math.round(Number(s.expiresAt));
  // A session started by a version before licenses (a rolling deploy) was admitted under its
  // plan's limit but doesn't record it: its renewed licenses carry no limit of their own.
  s.streamLimit ??= Number.MAX_SAFE_INTEGER;
  if (!Array.isArray(s.manifest?.renditions)) s.manifest = { ...s.manifest, renditions: [] };
  return s;
}

const log = createLogger('playback-session');

/** How long one session command may take before Redis counts as unreachable. */
const COMMAND_TIMEOUT_MS = 1_000;
const RETRY_AFTER_SECONDS = 2;
/** How long a session write waits for a replica of a Redis Cluster master to have it. */
const REPLICA_WAIT_MS = 1_000;

/**
 * Sessions in Redis, and the policy for when Redis is down: fail closed, fast. Start, heartbeat
 * and stop answer SERVICE_UNAVAILABLE with `retryAfterSeconds` at once (nothing is queued while
 * disconnected, and a command that hangs is cut at a second), and the player sends the same call
 * again. Every call is safe to repeat: a heartbeat carries the absolute position, a repeated stop
 * writes the final position if the first one's write didn't happen (PlaybackService.stop), and a
 * start repeated from the same device replaces a session a cut-off first try may have admitted.
 * Failing open would admit streams no store counts against the plan's limit. A stop's final
 * position is in Postgres before the stop is acknowledged. What a Redis restart
 * (not kept on disk) costs: the live sessions themselves, and at most one flush interval of
 * their positions; players start again and resume from Postgres.
 */
export class RedisSessionStore implements SessionStore {
  readonly kind = 'redis' as const;
  private readonly redis: RedisClient;

  constructor(url: string, private readonly prefix: string) {
    // No ioredis keyPrefix: the scripts derive keys from the namespace passed to them.
    this.redis = createRedisClient(url, failFastRedisOptions(COMMAND_TIMEOUT_MS));
    this.redis.on('error', () => undefined);
    // defineCommand sends EVALSHA (the script by its hash) and loads the script only when Redis
    // doesn't have it yet, instead of shipping the whole script with every session call.
    for (const [name, [lua, numberOfKeys]] of Object.entries(SCRIPTS)) {
      this.redis.defineCommand(name, { numberOfKeys, lua, readOnly: READ_ONLY.has(name as ScriptName) });
    }
  }

  /** The prefix and shard tag of an account's keys (just the prefix on a single Redis). */
  private namespaceOf(accountId: string): string {
    return `${this.prefix}${shardTag(this.redis, 'ps', accountId, CLUSTER_SHARDS)}`;
  }

  /** Every shard's namespace, for what runs over all of them (the sweep, the dirty set). */
  private namespaces(): string[] {
    return shardTags(this.redis, 'ps', CLUSTER_SHARDS).map((tag) => `${this.prefix}${tag}`);
  }

  /** Resolves once connected: commands aren't queued, so the subgraph is ready only after this. */
  async connected(): Promise<void> {
    if (this.redis.status === 'ready') return;
    // Not ready without its sessions: readiness stays false (and says so in the log) until Redis answers.
    const waiting = setTimeout(() => log.warn('waiting for Redis (playback sessions) before announcing ready'), 3_000);
    await new Promise((resolve) => this.redis.once('ready', resolve));
    clearTimeout(waiting);
  }

  /** Every Redis call goes through here: a failure to reach Redis is the client's SERVICE_UNAVAILABLE. */
  private async reach<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (err) {
      throw Object.assign(
        serviceUnavailable(`playback sessions are unavailable for a moment (their store did not answer); send the same request again in ${RETRY_AFTER_SECONDS} s`, RETRY_AFTER_SECONDS),
        { cause: err },
      );
    }
  }

  private async run<T = ScriptResult>(name: ScriptName, keys: string[], args: (string | number)[]): Promise<T> {
    return this.reach(async () => {
      const result = (await (this.redis as unknown as ScriptCommands)[name](...keys, ...args)) as T;
      // A start or a stop is acknowledged only once a replica has it: a failover right after
      // would otherwise forget an admitted stream (a limit no longer exact) or a stop (its
      // session playing again, its older heartbeat position flushed over the final one). A lost
      // heartbeat costs only a renewal the next one repeats, so heartbeats don't wait.
      if (REPLICATED.has(name)) await waitForReplica(this.redis, keys[0], REPLICA_WAIT_MS);
      return result;
    });
  }

  async start(session: SessionRecord, limit: number, _now: number): Promise<StartOutcome> {
    const ns = this.namespaceOf(session.accountId);
    const keys = [`${ns}a:${session.accountId}`, `${ns}d:${session.accountId}:${session.deviceId}`, `${ns}p:${session.profileId}`, `${ns}s:${session.id}`, `${ns}live`, `${ns}dirty`];
    const [kind, payload] = await this.run('sessionStart', keys, [ns, limit, JSON.stringify(session), RETENTION_MS, Date.now()]);
    if (kind === 'limit') return { kind: 'limit', active: (payload as string[]).map(parse) };
    const [replaced, stored] = payload as string[];
    // The stored session carries its expiry on Redis' clock.
    return { kind: 'started', session: parse(stored), replaced: replaced ? parse(replaced) : null };
  }

  async get(id: string, accountId: string): Promise<SessionRecord | null> {
    const raw = await this.reach(() => this.redis.get(`${this.namespaceOf(accountId)}s:${id}`));
    const session = raw ? parse(raw) : null;
    return session?.accountId === accountId ? session : null;
  }

  private outcome([kind, raw]: ScriptResult): UpdateOutcome {
    if (kind === 'missing') return { kind: 'missing' };
    return { kind: kind as 'updated' | 'unchanged' | 'ended' | 'expired', session: parse(raw as string) };
  }

  private sessionKeys(id: string, accountId: string): [ns: string, keys: string[]] {
    const ns = this.namespaceOf(accountId);
    return [ns, [`${ns}s:${id}`, `${ns}a:${accountId}`, `${ns}live`, `${ns}dirty`]];
  }

  async heartbeat(id: string, accountId: string, positionSeconds: number, now: number, timeoutMs: number): Promise<UpdateOutcome> {
    const [ns, keys] = this.sessionKeys(id, accountId);
    return this.outcome(await this.run('sessionHeartbeat', keys, [ns, id, accountId, positionSeconds, timeoutMs, new Date(now).toISOString(), RETENTION_MS]));
  }

  async stop(id: string, accountId: string, positionSeconds: number | null, now: number): Promise<UpdateOutcome> {
    const [ns, keys] = this.sessionKeys(id, accountId);
    return this.outcome(await this.run('sessionStop', keys, [ns, id, accountId, positionSeconds ?? '', new Date(now).toISOString()]));
  }

  async activeByProfile(profileId: string, accountId: string, _now: number): Promise<SessionRecord[]> {
    const ns = this.namespaceOf(accountId);
    const raws = await this.run<string[]>('sessionActive', [`${ns}p:${profileId}`], [ns]);
    const sessions = raws.map(parse).filter((s) => s.state === 'PLAYING' && s.accountId === accountId);
    return sessions.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  async licenseState(sessionId: string, accountId: string, streamLimit: number): Promise<LicenseState> {
    const ns = this.namespaceOf(accountId);
    return this.run<LicenseState>('sessionLicense', [`${ns}a:${accountId}`, `${ns}s:${sessionId}`], [ns, sessionId, accountId, streamLimit]);
  }

  async takeDirty(max: number): Promise<SessionRecord[]> {
    const namespaces = this.namespaces();
    const perShard = Math.max(1, Math.ceil(max / namespaces.length));
    const taken = await Promise.all(namespaces.map((ns) => this.run<string[]>('sessionTakeDirty', [`${ns}dirty`], [ns, perShard])));
    return taken.flat().map(parse);
  }

  async markDirty(sessions: SessionRecord[]): Promise<void> {
    await Promise.all([...this.idsByNamespace(sessions)].map(([ns, ids]) => this.reach(() => this.redis.sadd(`${ns}dirty`, ...ids))));
  }

  async takeExpired(_now: number, max: number, retryAfterMs: number): Promise<ExpiredSessions> {
    const namespaces = this.namespaces();
    const perShard = Math.max(1, Math.ceil(max / namespaces.length));
    const swept = await Promise.all(namespaces.map((ns) =>
      this.run<[number, string[]]>('sessionSweep', [`${ns}live`, `${ns}pending-final`, `${ns}dirty`], [ns, perShard, retryAfterMs, RETENTION_MS])));
    return { ended: swept.reduce((sum, [ended]) => sum + ended, 0), pending: swept.flatMap(([, pending]) => pending.map(parse)) };
  }

  async finishExpired(sessions: SessionRecord[]): Promise<void> {
    await Promise.all([...this.idsByNamespace(sessions)].map(([ns, ids]) => this.reach(() => this.redis.zrem(`${ns}pending-final`, ...ids))));
  }

  private idsByNamespace(sessions: SessionRecord[]): Map<string, string[]> {
    const byNamespace = new Map<string, string[]>();
    for (const s of sessions) {
      const ns = this.namespaceOf(s.accountId);
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), s.id]);
    }
    return byNamespace;
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
