import { createLogger, listen, numberFrom } from '@streaming/platform';
import { createMockServer } from './createMockServer';

/** `npm run mock`: the mock server on MOCK_PORT (4100), loopback unless MOCK_HOST says otherwise. */
async function main(): Promise<void> {
  const log = createLogger('mock');
  const port = numberFrom(process.env, 'MOCK_PORT', 4_100, 'wholeNonNegative');
  const host = process.env.MOCK_HOST || '127.0.0.1';
  const publicUrl = process.env.MOCK_PUBLIC_URL || `http://localhost:${port}`;
  const seed = numberFrom(process.env, 'MOCK_SEED', 1, 'wholeNonNegative');
  const mock = await createMockServer({ publicUrl, seed });
  const http = await listen(mock.app, { port, host });
  log.info(`mock API ready at ${http.url} (seed ${seed}; images from ${publicUrl}/mock/): point your client's GraphQL URL here`);
  const stop = async () => {
    await http.close(1_000);
    await mock.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
