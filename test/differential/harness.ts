import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner, prettyFormatQueryPlan } from '@apollo/query-planner';
import { listen, type HttpListener, type SubgraphName } from '@streaming/platform';
import { parse, type GraphQLSchema } from 'graphql';
import { request } from 'undici';
import { composeSupergraph } from '../../gateway/src/composeSupergraph';
import { DEFAULT_TELEMETRY, demandConfigFromEnv, resilienceConfigFromEnv } from '../../gateway/src/config';
import { createGateway, type Gateway, type GatewayOptions } from '../../gateway/src/server';
import { DEMO_PASSWORD } from '../../subgraphs/profile/src/seed';
import { startTestSupergraph, type TestSupergraph } from '../support/supergraph';
import { committedCaseId, committedOperationCases, type Answers } from './committedOperations';
import { differences, parseAnswer, type GatewayAnswer } from './compare';
import { demoIds, type DemoIds } from './demoIds';
import type { DocumentCase } from './documentCase';
import { FaultPlan } from './faults';
import { generateDocument } from './generateDocument';
import { pool } from './pool';
import { ReplayProxy, requestTag, type Exchange } from './replayProxy';

export type Executor = NonNullable<GatewayOptions['executor']>;

export interface HarnessOptions {
  seed: number;
  /** The executor compared against stock's. */
  executor: Executor;
  /** The gateways' subgraph fetch timeout: a `timeout` fault holds its answer past it. */
  fetchTimeoutMs: number;
  seedScale?: number;
}

/** One document through both gateways, and whether they agreed. */
export interface Outcome {
  document: DocumentCase;
  labels: [string, string];
  answers: [GatewayAnswer, GatewayAnswer];
  differences: string[];
  /** Runs it took: a divergence with a cause in the environment (a slow first recording) is run again. */
  attempts: number;
  /** The subgraph requests of the last attempt, both gateways'. */
  exchanges: Exchange[];
  /**
   * A fetch timed out in the last attempt though no fault held its answer: the machine was too
   * slow for the fetch timeout, three times over. Such a document proves nothing either way
   * (an executor can't make a subgraph's answer late; it only ever gets the proxy's answers).
   */
  inconclusive: boolean;
}

interface RunningGateway {
  label: string;
  url: string;
  gateway: Gateway;
  http: HttpListener;
}

/**
 * Two real gateways, stock's executor and the one under test, each over the same replay proxy in
 * front of the same real subgraphs (seeded test data, real Postgres and Redis, as
 * test/support/supergraph.ts starts them). Both run as the service ships except for what would
 * make one request's fate depend on another's: circuit breakers never open, retries are off (a
 * retry would meet the same deterministic fault anyway), limits are off (they run before the
 * executor and are the same code on both sides), and the request deadline is long enough that
 * only the per-fetch timeout cuts a held answer.
 */
export class DifferentialHarness {
  private readonly tokens = new Map<string, string>();
  private readonly planner: QueryPlanner;
  /** The API schema documents are generated over. */
  readonly schema: GraphQLSchema;

  private constructor(
    readonly options: HarnessOptions,
    readonly sg: TestSupergraph,
    readonly proxy: ReplayProxy,
    readonly faults: FaultPlan,
    private readonly gateways: [RunningGateway, RunningGateway],
    readonly ids: DemoIds,
    private readonly refreshToken: string,
    private readonly supergraph: Supergraph,
  ) {
    this.schema = supergraph.apiSchema().toGraphQLJSSchema();
    this.planner = new QueryPlanner(supergraph);
  }

  static async start(options: HarnessOptions): Promise<DifferentialHarness> {
    const seedScale = options.seedScale ?? Number(process.env.TEST_SEED_SCALE || 0.1);
    // Answers are recorded once, so freshness buys nothing: recommendation keeps its ranking pool
    // (as it does in production, for 10 s) instead of re-ranking per request as other tests need.
    const sg = await startTestSupergraph({ seedScale, env: { LOCAL_CACHE_SECONDS: '600', POOL_REFRESH_MS: '600000' } });
    const started: RunningGateway[] = [];
    let proxy: ReplayProxy | undefined;
    try {
      // Fixtures made through the real stack before anything is recorded: sessions to look up, a refresh token to trade.
      const probe = demoIds(seedScale, []);
      const sessions: string[] = [];
      for (const [profileId, titleId, deviceId] of [
        [probe.ownProfiles[0], probe.allAges.movie, 'difftest-tv'],
        [probe.ownProfiles[1], probe.allAges.series, 'difftest-tablet'],
        [probe.otherProfiles[0], probe.allAges.movie, 'difftest-other'],
      ]) {
        const session = await sg.run('StartPlayback', { input: { profileId, titleId, deviceId } });
        if (!session.data?.startPlayback?.id) throw new Error(`could not start a fixture session: ${JSON.stringify(session.errors)}`);
        sessions.push(session.data.startPlayback.id);
      }
      const signIn = await sg.run('SignIn', { email: 'demo-standard@example.com', password: DEMO_PASSWORD }, { as: null });
      const refreshToken = signIn.data?.signIn?.refreshToken as string | undefined;
      if (!refreshToken) throw new Error(`could not sign in for the fixtures: ${JSON.stringify(signIn.errors)}`);

      const realUrls = Object.fromEntries(Object.entries(sg.subgraphs).map(([name, s]) => [name, s.url])) as Record<SubgraphName, string>;
      const faults = new FaultPlan({ seed: options.seed });
      proxy = new ReplayProxy({ realUrls, faults, holdMs: options.fetchTimeoutMs * 4 });
      await proxy.start();
      const supergraphSdl = composeSupergraph();
      const resilience = resilienceConfigFromEnv({
        SUBGRAPH_TIMEOUT_MS: String(options.fetchTimeoutMs), REQUEST_DEADLINE_MS: '120000', RETRY_BUDGET_RATIO: '0',
      });
      resilience.breaker = { ...resilience.breaker, volumeThreshold: Number.MAX_SAFE_INTEGER };
      for (const [label, executor] of [['stock', 'stock'], [options.executor === 'stock' ? 'stock2' : options.executor, options.executor]] as const) {
        const gateway = await createGateway({
          supergraphSdl, subgraphUrls: proxy.urls, production: false, demand: demandConfigFromEnv({ GATEWAY_LIMITS: 'off' }), resilience, executor,
          // Metrics wrap the data sources the same way for both executors; off, they don't cost the run.
          telemetry: { ...DEFAULT_TELEMETRY, metrics: false },
        }, { verifier: sg.auth.services.verifier });
        const http = await listen(gateway.app, { port: 0, host: '127.0.0.1' });
        started.push({ label, url: http.url, gateway, http });
      }
      return new DifferentialHarness(
        options, sg, proxy, faults, started as [RunningGateway, RunningGateway], demoIds(seedScale, sessions), refreshToken, Supergraph.build(supergraphSdl),
      );
    } catch (err) {
      for (const g of started) await g.http.close().then(() => g.gateway.stop()).catch(() => undefined);
      await proxy?.stop().catch(() => undefined);
      await sg.stop();
      throw err;
    }
  }

  get labels(): [string, string] {
    return [this.gateways[0].label, this.gateways[1].label];
  }

  async stop(): Promise<void> {
    for (const g of this.gateways) {
      await g.http.close(1_000);
      await g.gateway.stop();
    }
    await this.proxy.stop();
    await this.sg.stop();
  }

  /** Generated document `index` of this run's seed. */
  generated(index: number): DocumentCase {
    return generateDocument(this.schema, this.ids, this.options.seed, index);
  }

  /**
   * Runs every committed operation twice: clean (its answers feed later variables, such as the
   * profile DeleteProfile deletes) and with faults. Those whose variables come from such answers
   * run after the others, in order; the others run `concurrency` at a time, which is safe for
   * mutations too: each reaches the real subgraphs once, and every later ask (the other
   * gateway, the faulty run, a query that reads what it changed) gets what was recorded first.
   */
  async runCommittedOperations(concurrency: number, onOutcome: (outcome: Outcome) => void): Promise<void> {
    const answers = new Map<string, Record<string, any> | null | undefined>();
    const counters = new Map<string, number>();
    const cases = committedOperationCases(this.ids, { refreshToken: this.refreshToken, password: DEMO_PASSWORD }).map((c) => {
      const n = counters.get(c.operation) ?? 0;
      counters.set(c.operation, n + 1);
      return { ...c, n };
    });
    const runCase = async (c: (typeof cases)[number]) => {
      const variables = typeof c.variables === 'function' ? c.variables(answers as Answers) : c.variables;
      for (const clean of [true, false]) {
        const document: DocumentCase = {
          id: committedCaseId(c.operation, c.n, clean), query: this.sg.operations[c.operation], variables, operationName: c.operation, caller: c.caller,
        };
        const outcome = await this.run(document);
        if (clean) answers.set(document.id, parseData(outcome.answers[0].body));
        onOutcome(outcome);
      }
    };
    await pool(cases.filter((c) => typeof c.variables !== 'function'), concurrency, runCase);
    for (const c of cases.filter((x) => typeof x.variables === 'function')) await runCase(c);
  }

  /**
   * One document through both gateways at once. Run again (up to 3 times) when the environment
   * may have had a hand in the answers: a divergence after a first recording or a slow answer,
   * or a fetch that timed out without a fault holding it (both gateways may have waited on the
   * same slow recording and agreed, but the document wasn't tested as generated).
   */
  async run(document: DocumentCase, options: { tamper?: (answer: GatewayAnswer) => GatewayAnswer } = {}): Promise<Outcome> {
    let outcome: Outcome | undefined;
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const answers = await Promise.all(this.gateways.map(async (g) => this.send(g, document, attempt))) as [GatewayAnswer, GatewayAnswer];
      // The harness's own test: a wrong answer from the second gateway, made here, must be caught.
      if (options.tamper) answers[1] = options.tamper(answers[1]);
      const exchanges = this.proxy.exchangesOf(document.id).filter((e) => e.caller.endsWith(`#${attempt}`));
      outcome = {
        document, labels: this.labels, answers, differences: differences(answers[0], answers[1], this.labels), attempts: attempt, exchanges, inconclusive: false,
      };
      outcome.inconclusive = this.unplannedTimeout(outcome);
      const slow = exchanges.some((e) => e.forwarded || (e.fault !== 'timeout' && e.ms - e.delayMs > this.options.fetchTimeoutMs / 2));
      if (!outcome.inconclusive && (outcome.differences.length === 0 || !slow)) break;
    }
    this.proxy.forget(document.id);
    return outcome!;
  }

  /** A subgraph fetch timed out though no fault held its answer: the machine, not the executor. */
  private unplannedTimeout(outcome: Outcome): boolean {
    return outcome.answers.some((a) => {
      const errors = (parseAnswer(a.body)?.errors ?? []) as Array<{ extensions?: { code?: string; serviceName?: string } }>;
      return errors.some((e) => e.extensions?.code === 'GATEWAY_TIMEOUT' && this.faults.requestFault(outcome.document.id, e.extensions.serviceName ?? '') !== 'timeout');
    });
  }

  private async token(account: string): Promise<string> {
    let token = this.tokens.get(account);
    if (!token) {
      token = await this.sg.tokenFor(account, { ttlSeconds: 3_600 });
      this.tokens.set(account, token);
    }
    return token;
  }

  private async send(g: RunningGateway, document: DocumentCase, attempt: number): Promise<GatewayAnswer> {
    const caller = document.caller;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': requestTag(document.id, g.label, attempt) };
    if (caller.kind === 'viewer') headers.authorization = `Bearer ${await this.token(caller.account)}`;
    if (caller.kind === 'fresh') headers.authorization = `Bearer ${await this.sg.tokenFor(caller.account, { ttlSeconds: 3_600 })}`;
    const response = await request(g.url, {
      method: 'POST', headers, body: JSON.stringify({ query: document.query, variables: document.variables, operationName: document.operationName }),
    });
    return { status: response.statusCode, body: await response.body.text() };
  }

  /** The query plan stock's planner makes for the document, as prettyFormatQueryPlan prints it. */
  queryPlan(document: DocumentCase): string {
    try {
      const operation = operationFromDocument(this.supergraph.apiSchema(), parse(document.query), { operationName: document.operationName });
      return prettyFormatQueryPlan(this.planner.buildQueryPlan(operation));
    } catch (err) {
      return `(no plan: ${(err as Error).message})`;
    }
  }
}

function parseData(body: string): Record<string, any> | null | undefined {
  return parseAnswer(body)?.data as Record<string, any> | null | undefined;
}
