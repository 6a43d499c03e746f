import { Agent, request } from 'undici';
import { INTERNAL_CREDENTIAL_HEADER } from '../auth/internalAuthConfig';
import type { InternalCredentialSigner } from '../auth/InternalCredentialSigner';
import { createLogger } from '../log';
import { REQUEST_ID_HEADER } from '../observability/requestContext';
import { ErrorCode, graphQLError } from './errors';

const log = createLogger('entity-client');

/**
 * The connection broke before an answer came: refused (an instance restarting, the balancer's
 * pick was just killed) or reset (a keep-alive socket the other side had closed). A lookup is a
 * query, so sending it once more is safe, and it usually reaches a live instance. A timeout is
 * not among these: the call has used its time, and a second wait would double the worst case.
 */
const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

function connectionFailed(err: unknown): boolean {
  const { code, cause } = (err ?? {}) as { code?: string; cause?: { code?: string } };
  return CONNECTION_FAILURES.has(code ?? '') || CONNECTION_FAILURES.has(cause?.code ?? '');
}

/**
 * Entity lookups one subgraph makes against another, for the few cases the gateway can't plan:
 * an argument names the entity (`similar(profileId:)`), or a write must check a reference
 * (`addToMyList` must know the title exists). It speaks the same `_entities` protocol the
 * gateway uses, so the owning subgraph serves it through its usual cached DataLoaders and no
 * subgraph ever reads another one's database.
 */
export interface EntityClientOptions {
  /** Signs this process's internal credential for the called subgraph; none when internal auth is off. */
  credentials?: InternalCredentialSigner;
  /** Header and body timeouts. @default 2000 */
  timeoutMs?: number;
}

/** Who a lookup is made for: the viewer's token (omitted for public data) and the request's id. */
export interface LookupCaller {
  credential?: string;
  requestId?: string;
}

export class EntityClient {
  private readonly dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 16 });
  private readonly timeoutMs: number;

  constructor(
    private readonly url: string,
    /** The called subgraph's name: in messages, and the `aud` of the internal credential. */
    private readonly serviceName: string,
    private readonly options: EntityClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 2_000;
  }

  /**
   * `caller.credential` is the viewer's verified bearer token: the owner then answers exactly what
   * it would answer that viewer through the gateway (its own data, nothing else's).
   * `caller.requestId` is the calling request's, so the called subgraph logs under the same one.
   */
  async fetch<T>(typename: string, ids: readonly string[], selection: string, { credential, requestId }: LookupCaller = {}): Promise<(T | null)[]> {
    if (ids.length === 0) return [];
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { ${selection} } } }`;
    const representations = ids.map((id) => ({ __typename: typename, id }));
    let payload: { data?: { _entities: (T | null)[] }; errors?: { message: string }[] };
    const internal = this.options.credentials ? { [INTERNAL_CREDENTIAL_HEADER]: this.options.credentials.credentialFor(this.serviceName) } : {};
    const send = async () => {
      const response = await request(this.url, {
        method: 'POST',
        // The trace context (traceparent) is added by the undici instrumentation when tracing is on;
        // the request id is ours, so the called subgraph logs under the same one.
        headers: {
          'content-type': 'application/json', ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}), ...internal,
          ...(credential ? { authorization: `Bearer ${credential}` } : {}),
        },
        body: JSON.stringify({ query, variables: { representations } }),
        dispatcher: this.dispatcher,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      return (await response.body.json()) as typeof payload;
    };
    try {
      payload = await send().catch((err: unknown) => {
        if (!connectionFailed(err)) throw err;
        log.info(`${this.serviceName}: connection failed (${(err as Error).message}), sending the lookup once more`, { requestId });
        return send();
      });
    } catch (err) {
      // The cause names the address we called ("connect ECONNREFUSED 10.0.3.7:5102"): logs only.
      log.warn(`${this.serviceName} at ${this.url} did not answer: ${(err as Error).message}`, { requestId });
      throw graphQLError(ErrorCode.SUBGRAPH_UNAVAILABLE, `The ${this.serviceName} service did not answer`, { serviceName: this.serviceName });
    }
    if (!payload.data || payload.errors?.length) {
      log.warn(`${this.serviceName} failed an entity lookup: ${payload.errors?.map((e) => e.message).join('; ') ?? 'no data'}`, { requestId });
      throw graphQLError(ErrorCode.SUBGRAPH_UNAVAILABLE, `The ${this.serviceName} service failed`, { serviceName: this.serviceName });
    }
    return payload.data._entities;
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
