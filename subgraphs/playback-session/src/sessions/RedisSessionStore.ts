import { createLogger, failFastRedisOptions, serviceUnavailable } from '@streaming/platform';
import Redis from 'ioredis';
import { RETENTION_MS, type ExpiredSessions, type LicenseState, type SessionRecord, type SessionStore, type StartOutcome, type UpdateOutcome } from './SessionRecord';

/*
 * Keys, under one prefix: s:<id> the session (JSON), a:<account> and p:<profile> sorted sets of
 * active session ids scored by expiry, live the same for every session (for the expiry sweep),
 * d:<account>:<device> the device's current session, dirty the ids whose position the progress
 * writer has yet to persist, pending-final the expired sessions whose final position it has yet
 * to write (scored by when the next try is due). Each script reads and writes them atomically;
 * that is what holds the stream limit under concurrent starts. The sets expire with their last
 * session (pending-final empties as final positions are written).
 */

// ARGV: prefix, now, limit, session json, retention ms
const START = `
local prefix, now, limit = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local session = cjson.decode(ARGV[4])
local accountKey = prefix .. 'a:' .. session.accountId
local deviceKey = prefix .. 'd:' .. session.accountId .. ':' .. session.deviceId
redis.call('ZREMRANGEBYSCORE', accountKey, '-inf', now)
local replacedId = redis.call('GET', deviceKey)
local replacedRaw = false
if replacedId and redis.call('ZSCORE', accountKey, replacedId) then
  replacedRaw = redis.call('GET', prefix .. 's:' .. replacedId)
end
local active = redis.call('ZRANGE', accountKey, 0, -1)
local others = {}
for _, id in ipairs(active) do
  if not (replacedRaw and id == replacedId) then table.insert(others, id) end
end
if #others >= limit then
  local sessions = {}
  for _, id in ipairs(others) do
    local raw = redis.call('GET', prefix .. 's:' .. id)
    if raw then table.insert(sessions, raw) end
  end
  return {'limit', sessions}
end
if replacedRaw then
  local old = cjson.decode(replacedRaw)
  old.state = 'ENDED'
  old.endReason = 'replaced'
  replacedRaw = cjson.encode(old)
  redis.call('SET', prefix .. 's:' .. replacedId, replacedRaw, 'KEEPTTL')
  redis.call('ZREM', accountKey, replacedId)
  redis.call('ZREM', prefix .. 'p:' .. old.profileId, replacedId)
  redis.call('ZREM', prefix .. 'live', replacedId)
  redis.call('SREM', prefix .. 'dirty', replacedId)
end
local keep = session.expiresAt - now + tonumber(ARGV[5])
local profileKey = prefix .. 'p:' .. session.profileId
redis.call('ZREMRANGEBYSCORE', profileKey, '-inf', now)
redis.call('SET', prefix .. 's:' .. session.id, ARGV[4], 'PX', keep)
redis.call('ZADD', accountKey, session.expiresAt, session.id)
redis.call('ZADD', profileKey, session.expiresAt, session.id)
redis.call('ZADD', prefix .. 'live', session.expiresAt, session.id)
redis.call('PEXPIRE', accountKey, keep)
redis.call('PEXPIRE', profileKey, keep)
redis.call('SET', deviceKey, session.id, 'PX', keep)
return {'started', {replacedRaw or ''}}
`;

// ARGV: prefix, id, position, now, timeout ms, now iso, retention ms
const HEARTBEAT = `
local prefix, id, position, now, timeout = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local raw = redis.call('GET', prefix .. 's:' .. id)
if not raw then return {'missing', ''} end
local s = cjson.decode(raw)
if s.state == 'ENDED' and s.endReason == 'expired' then return {'expired', raw} end
if s.state == 'ENDED' then return {'ended', raw} end
if s.expiresAt <= now then return {'expired', raw} end
s.expiresAt = now + timeout
local kind = 'unchanged'
if s.positionSeconds ~= position then
  s.positionSeconds = position
  s.lastHeartbeatAt = ARGV[6]
  kind = 'updated'
  redis.call('SADD', prefix .. 'dirty', id)
end
raw = cjson.encode(s)
local keep = timeout + tonumber(ARGV[7])
local accountKey, profileKey = prefix .. 'a:' .. s.accountId, prefix .. 'p:' .. s.profileId
redis.call('SET', prefix .. 's:' .. id, raw, 'PX', keep)
redis.call('ZADD', accountKey, s.expiresAt, id)
redis.call('ZADD', profileKey, s.expiresAt, id)
redis.call('ZADD', prefix .. 'live', s.expiresAt, id)
redis.call('PEXPIRE', accountKey, keep)
redis.call('PEXPIRE', profileKey, keep)
redis.call('PEXPIRE', prefix .. 'd:' .. s.accountId .. ':' .. s.deviceId, keep)
return {kind, raw}
`;

// ARGV: prefix, id, position ('' to keep), now iso
const STOP = `
local prefix, id = ARGV[1], ARGV[2]
local raw = redis.call('GET', prefix .. 's:' .. id)
if not raw then return {'missing', ''} end
local s = cjson.decode(raw)
if s.state == 'ENDED' then return {'ended', raw} end
s.state = 'ENDED'
s.endReason = 'stopped'
if ARGV[3] ~= '' then s.positionSeconds = tonumber(ARGV[3]) end
s.lastHeartbeatAt = ARGV[4]
raw = cjson.encode(s)
redis.call('SET', prefix .. 's:' .. id, raw, 'KEEPTTL')
redis.call('ZREM', prefix .. 'a:' .. s.accountId, id)
redis.call('ZREM', prefix .. 'p:' .. s.profileId, id)
redis.call('ZREM', prefix .. 'live', id)
redis.call('SREM', prefix .. 'dirty', id)
local deviceKey = prefix .. 'd:' .. s.accountId .. ':' .. s.deviceId
if redis.call('GET', deviceKey) == id then redis.call('DEL', deviceKey) end
return {'updated', raw}
`;

// ARGV: prefix, now, max, retry-after ms, retention ms. Ends expired sessions and moves them from
// live to pending-final, then hands out the pending ones that are due, each withheld from other
// sweeps until retry-after has passed: a session leaves pending-final only once its final position
// is written (finishExpired), so a failed write is tried again, never lost. Its record is kept
// while it is pending. Returns {sessions ended now, {pending session json, ...}}.
const SWEEP = `
local prefix, now, max = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local retryAfter, retention = tonumber(ARGV[4]), tonumber(ARGV[5])
local pendingKey = prefix .. 'pending-final'
local ids = redis.call('ZRANGEBYSCORE', prefix .. 'live', '-inf', now, 'LIMIT', 0, max)
local ended = 0
for _, id in ipairs(ids) do
  redis.call('ZREM', prefix .. 'live', id)
  local raw = redis.call('GET', prefix .. 's:' .. id)
  if raw then
    local s = cjson.decode(raw)
    if s.state == 'PLAYING' and s.expiresAt <= now then
      s.state = 'ENDED'
      s.endReason = 'expired'
      raw = cjson.encode(s)
      redis.call('SET', prefix .. 's:' .. id, raw, 'KEEPTTL')
      redis.call('ZREM', prefix .. 'a:' .. s.accountId, id)
      redis.call('ZREM', prefix .. 'p:' .. s.profileId, id)
      redis.call('SREM', prefix .. 'dirty', id)
      redis.call('ZADD', pendingKey, now, id)
      ended = ended + 1
    end
  end
end
local due = redis.call('ZRANGEBYSCORE', pendingKey, '-inf', now, 'LIMIT', 0, max)
local pending = {}
for _, id in ipairs(due) do
  local key = prefix .. 's:' .. id
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

// ARGV: prefix, session id, account id, stream limit. The playback authorization check, per
// segment request: a playing session is answered from the account's active set alone (ZSCORE,
// ZCOUNT); only a session that isn't playing has its record read, to say why. Read-only (it can
// run on a replica) and on Redis' clock, so every replica of this service judges expiry alike.
const LICENSE = `#!lua flags=no-writes
local prefix, id, account, limit = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local accountKey = prefix .. 'a:' .. account
local score = redis.call('ZSCORE', accountKey, id)
if score and tonumber(score) > now then
  if redis.call('ZCOUNT', accountKey, '(' .. now, '+inf') <= limit then return 'live' end
  local started = {}
  for _, other in ipairs(redis.call('ZRANGEBYSCORE', accountKey, '(' .. now, '+inf')) do
    local raw = redis.call('GET', prefix .. 's:' .. other)
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
local raw = redis.call('GET', prefix .. 's:' .. id)
if not raw then return 'unknown' end
local s = cjson.decode(raw)
if s.accountId ~= account then return 'unknown' end
if s.state == 'ENDED' then return s.endReason or 'stopped' end
return 'expired'
`;

type ScriptResult = [string, string | string[]];

const SCRIPTS = { sessionStart: START, sessionHeartbeat: HEARTBEAT, sessionStop: STOP, sessionSweep: SWEEP, sessionLicense: LICENSE } as const;
type ScriptName = keyof typeof SCRIPTS;
const READ_ONLY: ReadonlySet<ScriptName> = new Set(['sessionLicense']);
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
  private readonly redis: Redis;

  constructor(url: string, private readonly prefix: string) {
    // No ioredis keyPrefix: the scripts build keys themselves, from the prefix passed to them.
    this.redis = new Redis(url, failFastRedisOptions(COMMAND_TIMEOUT_MS));
    this.redis.on('error', () => undefined);
    // defineCommand sends EVALSHA (the script by its hash) and loads the script only when Redis
    // doesn't have it yet, instead of shipping the whole script with every session call.
    for (const [name, lua] of Object.entries(SCRIPTS)) this.redis.defineCommand(name, { numberOfKeys: 0, lua, readOnly: READ_ONLY.has(name as ScriptName) });
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

  private async run<T = ScriptResult>(name: ScriptName, args: (string | number)[]): Promise<T> {
    return this.reach(async () => (await (this.redis as unknown as ScriptCommands)[name](this.prefix, ...args)) as T);
  }

  async start(session: SessionRecord, limit: number, now: number): Promise<StartOutcome> {
    const [kind, payload] = await this.run('sessionStart', [now, limit, JSON.stringify(session), RETENTION_MS]);
    if (kind === 'limit') return { kind: 'limit', active: (payload as string[]).map(parse) };
    const replaced = (payload as string[])[0];
    return { kind: 'started', session, replaced: replaced ? parse(replaced) : null };
  }

  async get(id: string): Promise<SessionRecord | null> {
    const raw = await this.reach(() => this.redis.get(`${this.prefix}s:${id}`));
    return raw ? parse(raw) : null;
  }

  async getMany(ids: string[]): Promise<(SessionRecord | null)[]> {
    if (ids.length === 0) return [];
    const raws = await this.reach(() => this.redis.mget(...ids.map((id) => `${this.prefix}s:${id}`)));
    return raws.map((raw) => (raw ? parse(raw) : null));
  }

  private outcome([kind, raw]: ScriptResult): UpdateOutcome {
    if (kind === 'missing') return { kind: 'missing' };
    return { kind: kind as 'updated' | 'unchanged' | 'ended' | 'expired', session: parse(raw as string) };
  }

  async heartbeat(id: string, positionSeconds: number, now: number, timeoutMs: number): Promise<UpdateOutcome> {
    return this.outcome(await this.run('sessionHeartbeat', [id, positionSeconds, now, timeoutMs, new Date(now).toISOString(), RETENTION_MS]));
  }

  async stop(id: string, positionSeconds: number | null, now: number): Promise<UpdateOutcome> {
    return this.outcome(await this.run('sessionStop', [id, positionSeconds ?? '', new Date(now).toISOString()]));
  }

  async activeByProfile(profileId: string, now: number): Promise<SessionRecord[]> {
    const ids = await this.reach(() => this.redis.zrangebyscore(`${this.prefix}p:${profileId}`, `(${now}`, '+inf'));
    const sessions = (await this.getMany(ids)).filter((s): s is SessionRecord => s !== null && s.state === 'PLAYING');
    return sessions.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  async licenseState(sessionId: string, accountId: string, streamLimit: number): Promise<LicenseState> {
    return this.run<LicenseState>('sessionLicense', [sessionId, accountId, streamLimit]);
  }

  async takeDirty(max: number): Promise<string[]> {
    return (await this.reach(() => this.redis.spop(`${this.prefix}dirty`, max))) as string[];
  }

  async markDirty(ids: string[]): Promise<void> {
    if (ids.length) await this.reach(() => this.redis.sadd(`${this.prefix}dirty`, ...ids));
  }

  async takeExpired(now: number, max: number, retryAfterMs: number): Promise<ExpiredSessions> {
    const [ended, pending] = await this.run<[number, string[]]>('sessionSweep', [now, max, retryAfterMs, RETENTION_MS]);
    return { ended, pending: pending.map(parse) };
  }

  async finishExpired(ids: string[]): Promise<void> {
    if (ids.length) await this.reach(() => this.redis.zrem(`${this.prefix}pending-final`, ...ids));
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
