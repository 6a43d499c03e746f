import type { Request, Response } from 'express';
import { createLogger } from '../log';
import { internalAuthConfigFromEnv } from './internalAuthConfig';
import { InternalCredentialSigner } from './InternalCredentialSigner';
import { InternalCredentialVerifier } from './InternalCredentialVerifier';
import { requireInternalCredential } from './requireInternalCredential';

const config = internalAuthConfigFromEnv({ INTERNAL_AUTH_SECRET: 'd'.repeat(43) })!;
const admit = requireInternalCredential(new InternalCredentialVerifier(config, 'catalog'), 'catalog', createLogger('test'));

function call(headers: Record<string, string>) {
  const outcome: { next?: unknown; status?: number; body?: unknown } = {};
  const res = {
    set: () => res,
    status: (s: number) => ((outcome.status = s), res),
    json: (b: unknown) => ((outcome.body = b), res),
  } as unknown as Response;
  admit({ headers } as Request, res, (err?: unknown) => (outcome.next = err ?? 'called'));
  // Read before any await: the decision is made while the middleware runs.
  return { ...outcome };
}

describe('requireInternalCredential', () => {
  // A request body may already be flowing (an instrumentation listening to 'data', as the bench's
  // probe does): deciding asynchronously let it run past the JSON parser, which then answered 400.
  it('admits a valid credential before it returns, so the body parser is attached in the same tick', () => {
    expect(call({ 'x-internal-credential': new InternalCredentialSigner(config, 'gateway').credentialFor('catalog') })).toEqual({ next: 'called' });
  });

  it('refuses before it returns, with the code and no call onwards', () => {
    expect(call({})).toEqual({
      status: 401,
      body: { errors: [{ message: expect.stringMatching(/no internal credential/), extensions: { code: 'INTERNAL_CREDENTIAL_REJECTED' } }] },
    });
  });
});
