import { RETENTION_MS, type ExpiredSessions, type LicenseState, type SessionRecord, type SessionStore, type StartOutcome, type UpdateOutcome } from './SessionRecord';

/**
 * The embedded session store. One process, one event loop: each method runs to completion
 * between awaits, which is what makes start's check-and-admit atomic here (Redis needs Lua).
 */
export class MemorySessionStore implements SessionStore {
  readonly kind = 'memory' as const;
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly devices = new Map<string, string>();
  private readonly dirty = new Set<string>();
  /** Expired sessions whose final position is not written yet, by when the next try is due. */
  private readonly pendingFinal = new Map<string, number>();

  private active(predicate: (s: SessionRecord) => boolean, now: number): SessionRecord[] {
    return [...this.sessions.values()].filter((s) => s.state === 'PLAYING' && s.expiresAt > now && predicate(s));
  }

  /**
   * Forgets sessions past their retention and the device entries left pointing at them: the
   * embedded store lives as long as the process, and every device that ever played would
   * otherwise stay in `devices` (Redis expires both keys instead).
   */
  private prune(now: number): void {
    for (const [id, s] of this.sessions) {
      if (!this.pendingFinal.has(id) && Math.max(s.expiresAt, Date.parse(s.lastHeartbeatAt)) + RETENTION_MS < now) this.sessions.delete(id);
    }
    for (const [key, id] of this.devices) if (!this.sessions.has(id)) this.devices.delete(key);
  }

  /** An ended session no longer holds its device: only a playing one can be replaced. */
  private releaseDevice(s: SessionRecord): void {
    const key = deviceKey(s);
    if (this.devices.get(key) === s.id) this.devices.delete(key);
  }

  async start(session: SessionRecord, limit: number, now: number): Promise<StartOutcome> {
    this.prune(now);
    const device = deviceKey(session);
    const previous = this.sessions.get(this.devices.get(device) ?? '');
    const replaced = previous && previous.state === 'PLAYING' && previous.expiresAt > now ? previous : null;
    const others = this.active((s) => s.accountId === session.accountId && s.id !== replaced?.id, now);
    if (others.length >= limit) return { kind: 'limit', active: others.map((s) => ({ ...s })) };
    if (replaced) Object.assign(replaced, { state: 'ENDED', endReason: 'replaced' });
    this.sessions.set(session.id, { ...session });
    this.devices.set(device, session.id);
    return { kind: 'started', session: { ...session }, replaced: replaced ? { ...replaced } : null };
  }

  /** The session if it is the account's. */
  private own(id: string, accountId: string): SessionRecord | undefined {
    const s = this.sessions.get(id);
    return s?.accountId === accountId ? s : undefined;
  }

  async get(id: string, accountId: string): Promise<SessionRecord | null> {
    const s = this.own(id, accountId);
    return s ? { ...s } : null;
  }

  async heartbeat(id: string, accountId: string, positionSeconds: number, now: number, timeoutMs: number): Promise<UpdateOutcome> {
    const s = this.own(id, accountId);
    if (!s) return { kind: 'missing' };
    if (s.state === 'ENDED') return { kind: s.endReason === 'expired' ? 'expired' : 'ended', session: { ...s } };
    if (s.expiresAt <= now) return { kind: 'expired', session: { ...s } };
    s.expiresAt = now + timeoutMs;
    if (s.positionSeconds === positionSeconds) return { kind: 'unchanged', session: { ...s } };
    s.positionSeconds = positionSeconds;
    s.lastHeartbeatAt = new Date(now).toISOString();
    this.dirty.add(id);
    return { kind: 'updated', session: { ...s } };
  }

  async stop(id: string, accountId: string, positionSeconds: number | null, now: number): Promise<UpdateOutcome> {
    const s = this.own(id, accountId);
    if (!s) return { kind: 'missing' };
    if (s.state === 'ENDED') return { kind: 'ended', session: { ...s } };
    Object.assign(s, { state: 'ENDED', endReason: 'stopped' });
    if (positionSeconds !== null) s.positionSeconds = positionSeconds;
    s.lastHeartbeatAt = new Date(now).toISOString();
    this.dirty.delete(id);
    this.releaseDevice(s);
    return { kind: 'updated', session: { ...s } };
  }

  async activeByProfile(profileId: string, accountId: string, now: number): Promise<SessionRecord[]> {
    return this.active((s) => s.profileId === profileId && s.accountId === accountId, now)
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
      .map((s) => ({ ...s }));
  }

  async licenseState(sessionId: string, accountId: string, streamLimit: number): Promise<LicenseState> {
    const now = Date.now();
    const s = this.sessions.get(sessionId);
    if (!s || s.accountId !== accountId) return 'unknown';
    if (s.state === 'ENDED') return s.endReason ?? 'stopped';
    if (s.expiresAt <= now) return 'expired';
    const live = this.active((other) => other.accountId === accountId, now);
    if (live.length <= streamLimit) return 'live';
    const ahead = live.filter((o) => o.id !== s.id && (o.startedAt < s.startedAt || (o.startedAt === s.startedAt && o.id < s.id)));
    return ahead.length < streamLimit ? 'live' : 'over-limit';
  }

  async takeDirty(max: number): Promise<SessionRecord[]> {
    const ids = [...this.dirty].slice(0, max);
    for (const id of ids) this.dirty.delete(id);
    return ids.flatMap((id) => {
      const s = this.sessions.get(id);
      return s ? [{ ...s }] : [];
    });
  }

  async markDirty(sessions: SessionRecord[]): Promise<void> {
    for (const s of sessions) this.dirty.add(s.id);
  }

  async takeExpired(now: number, max: number, retryAfterMs: number): Promise<ExpiredSessions> {
    const expired = [...this.sessions.values()].filter((s) => s.state === 'PLAYING' && s.expiresAt <= now).slice(0, max);
    for (const s of expired) {
      Object.assign(s, { state: 'ENDED', endReason: 'expired' });
      this.dirty.delete(s.id);
      this.releaseDevice(s);
      this.pendingFinal.set(s.id, now);
    }
    const pending: SessionRecord[] = [];
    const due = [...this.pendingFinal].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1]).slice(0, max);
    for (const [id] of due) {
      const s = this.sessions.get(id);
      if (!s) {
        this.pendingFinal.delete(id);
        continue;
      }
      this.pendingFinal.set(id, now + retryAfterMs);
      pending.push({ ...s });
    }
    return { ended: expired.length, pending };
  }

  async finishExpired(sessions: SessionRecord[]): Promise<void> {
    for (const s of sessions) this.pendingFinal.delete(s.id);
  }

  async close(): Promise<void> {
    this.sessions.clear();
    this.devices.clear();
    this.pendingFinal.clear();
  }
}

function deviceKey(s: SessionRecord): string {
  return `${s.accountId}\u0000${s.deviceId}`;
}
