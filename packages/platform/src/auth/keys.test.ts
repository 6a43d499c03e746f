import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { authConfigFromEnv } from './authConfig';
import { generatePrivateJwk, loadAuthKeys, publicJwk } from './keys';

describe('auth keys', () => {
  it('refuses to start in production without keys, naming the variable', () => {
    expect(() => authConfigFromEnv({ NODE_ENV: 'production' })).toThrow(/^AUTH_JWKS \(or AUTH_JWKS_FILE\) is required/);
  });

  it('needs the signing key where tokens are issued, and it must be one the JWKS lists', async () => {
    const jwk = await generatePrivateJwk('prod-1');
    const jwks = JSON.stringify({ keys: [publicJwk(jwk)] });
    const config = authConfigFromEnv({ NODE_ENV: 'production', AUTH_JWKS: jwks });
    await expect(loadAuthKeys(config, true)).rejects.toThrow(/^AUTH_SIGNING_KEY \(or AUTH_SIGNING_KEY_FILE\) is required/);
    expect((await loadAuthKeys(config, false)).signing).toBeUndefined();
    const other = await generatePrivateJwk('prod-2');
    const mismatched = authConfigFromEnv({ NODE_ENV: 'production', AUTH_JWKS: jwks, AUTH_SIGNING_KEY: JSON.stringify(other) });
    await expect(loadAuthKeys(mismatched, true)).rejects.toThrow(/kid.*AUTH_JWKS lists/);
    const leaked = authConfigFromEnv({ NODE_ENV: 'production', AUTH_JWKS: JSON.stringify({ keys: [jwk] }) });
    await expect(loadAuthKeys(leaked, false)).rejects.toThrow(/contains a private key/);
  });

  it('accepts several verification keys, so a new key can be rolled out before the old one retires', async () => {
    const [current, next] = [await generatePrivateJwk('k-current'), await generatePrivateJwk('k-next')];
    const config = authConfigFromEnv({
      NODE_ENV: 'production', AUTH_SIGNING_KEY: JSON.stringify(next), AUTH_JWKS: JSON.stringify({ keys: [publicJwk(current), publicJwk(next)] }),
    });
    const keys = await loadAuthKeys(config, true);
    expect(keys.signing!.kid).toBe('k-next');
    expect(keys.jwks.keys.map((k) => k.kid)).toEqual(['k-current', 'k-next']);
  });

  it('in development, generates a key pair under DATA_DIR once and reuses it', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'auth-keys-'));
    try {
      const config = authConfigFromEnv({ DATA_DIR: dataDir });
      const first = await loadAuthKeys(config, true);
      const file = path.join(dataDir, 'auth', 'signing-key.jwk.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const again = await loadAuthKeys(config, true);
      expect(again.signing!.kid).toBe(first.signing!.kid);
      expect(again.jwks).toEqual(first.jwks);
      expect(JSON.parse(readFileSync(file, 'utf8')).kid).toBe(first.signing!.kid);
      expect(first.jwks.keys[0]).not.toHaveProperty('d');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
