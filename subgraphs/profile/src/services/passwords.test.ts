import { decoyHash, hashPassword, verifyPassword } from './passwords';

describe('passwords', () => {
  it('hashes with scrypt and a fresh salt, and verifies only the right password', async () => {
    const cheap = { logN: 10, r: 8, p: 1 };
    const [a, b] = [await hashPassword('streaming-demo', cheap), await hashPassword('streaming-demo', cheap)];
    expect(a).toMatch(/^scrypt\$10\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('streaming-demo', a)).toBe(true);
    expect(await verifyPassword('streaming-demo!', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('treats a malformed stored hash as a mismatch', async () => {
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$10$8$1$$')).toBe(false);
  });

  it('has one decoy hash per process for unknown emails, which no password matches by chance', async () => {
    expect(await decoyHash()).toBe(await decoyHash());
    expect(await verifyPassword('streaming-demo', await decoyHash())).toBe(false);
  });
});
