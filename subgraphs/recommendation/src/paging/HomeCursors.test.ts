import { HomeCursors, type HomeCursor } from './HomeCursors';

describe('HomeCursors', () => {
  let now = Date.parse('2026-03-01T12:00:00Z');
  const cursors = new HomeCursors('secret', () => now);
  const owner = { accountId: 'acc-1', profileId: 'acc-1-p1' };
  const exp = now / 1000 + 600;
  const rows: HomeCursor = { kind: 'rows', visitId: 'v'.repeat(22), expiresAt: exp, afterRow: 3 };
  const items: HomeCursor = { kind: 'items', visitId: 'v'.repeat(22), expiresAt: exp, row: 2, afterItems: 20 };
  const bad = (run: () => unknown, message: RegExp) => {
    try {
      run();
    } catch (err) {
      expect(err).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });
      return;
    }
    throw new Error('accepted');
  };

  it('gives back what it signed, for its owner', () => {
    expect(cursors.verify(cursors.sign(rows, owner), 'rows', owner)).toEqual(rows);
    expect(cursors.verify(cursors.sign(items, owner), 'items', owner)).toEqual(items);
  });

  it('are short, URL-safe, and name neither the account nor the profile', () => {
    const text = cursors.sign(items, owner);
    expect(text).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(text.length).toBeLessThan(120);
    expect(text).not.toContain('acc-1');
  });

  it('refuse another profile, another account, another key, and any change', () => {
    const text = cursors.sign(rows, owner);
    bad(() => cursors.verify(text, 'rows', { ...owner, profileId: 'acc-1-p2' }), /not a cursor of this profile's home screen/);
    bad(() => cursors.verify(text, 'rows', { ...owner, accountId: 'acc-2' }), /not a cursor/);
    bad(() => new HomeCursors('other', () => now).verify(text, 'rows', owner), /not a cursor/);
    const [payload, mac] = text.split('.');
    const moved = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), r: 4 })).toString('base64url');
    bad(() => cursors.verify(`${moved}.${mac}`, 'rows', owner), /not a cursor/);
    for (const junk of ['', '.', 'abc', `${payload}.`, `${payload}.${mac}.x`, 'x'.repeat(5000), `${Buffer.from('[]').toString('base64url')}.${mac}`]) {
      bad(() => cursors.verify(junk, 'rows', owner), /not a cursor/);
    }
  });

  it('refuse a well-signed cursor of an unexpected shape', () => {
    // Signed with the right key (as a future version might), but not a cursor this version reads.
    const odd = new HomeCursors('secret', () => now).sign({ ...rows, afterRow: -1 }, owner);
    bad(() => cursors.verify(odd, 'rows', owner), /not a cursor/);
  });

  it('expire', () => {
    const text = cursors.sign(rows, owner);
    now += 599_000;
    expect(cursors.verify(text, 'rows', owner)).toEqual(rows);
    now += 1_000;
    bad(() => cursors.verify(text, 'rows', owner), /after has expired/);
    now -= 600_000;
  });

  it('say which kind they are when used for the other', () => {
    bad(() => cursors.verify(cursors.sign(items, owner), 'rows', owner), /cursor of a row's titles/);
    bad(() => cursors.verify(cursors.sign(rows, owner), 'items', owner), /cursor of the rows/);
  });
});
