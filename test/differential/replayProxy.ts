import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SubgraphName } from '@streaming/platform';
import { Agent, request } from 'undici';
import { FaultPlan, pathInside, setAt, type RequestFault } from './faults';
import { canonicalJson, unitHash } from './hash';
import { parseSubgraphRequest, type RequestItem } from './subgraphRequest';

type JsonPath = Array<string | number>;
interface SubgraphError { message: string; path?: JsonPath; extensions?: Record<string, unknown>; [key: string]: unknown }

/** What the real subgraph said about one item, kept for every later ask. */
interface RecordedItem {
  value: unknown;
  /** Errors whose path points into this item, with the path made relative to it. */
  errors: SubgraphError[];
  /** The subgraph answered `data: null` (a non-null root field failed). */
  nullsData: boolean;
  /** Errors of the request that point at no item (no path, or an unknown one). */
  orphans: SubgraphError[];
  /** The real subgraph didn't answer with GraphQL at all (it shouldn't; replayed as it came). */
  failure?: { status: number; contentType: string; body: string };
}

/** One subgraph request as a gateway made it and as it was answered: what a divergence report shows. */
export interface Exchange {
  caller: string;
  subgraph: string;
  request: { query?: string; variables?: unknown; operationName?: string | null };
  fault?: RequestFault;
  /** How long the answer was held back on purpose (a slow subgraph, in time). */
  delayMs: number;
  itemFaults: string[];
  status?: number;
  body?: string;
  /** Some item was not recorded yet and the request went to the real subgraph. */
  forwarded: boolean;
  ms: number;
}

/** `x-request-id: dt.<document>.<caller>.<attempt>`: the gateways forward it to their subgraphs. */
const TAG = /^dt\.([^.]+)\.([^.]+)\.(\d+)$/;

export function requestTag(documentId: string, caller: string, attempt: number): string {
  return `dt.${documentId}.${caller}.${attempt}`;
}

export interface ReplayProxyOptions {
  realUrls: Record<SubgraphName, string>;
  faults: FaultPlan;
  /** How long a `timeout` fault holds its answer: longer than the gateways' fetch timeout. */
  holdMs: number;
}

/**
 * Stands in front of the real subgraphs, at `urls[name]`, for every gateway under test. The
 * first time an item (a root field, or one entity of an `_entities` field) is asked for, the
 * request goes to the real subgraph and each item's answer is recorded; from then on every
 * gateway gets that recorded answer, assembled for the request it sent, so time-dependent data
 * and the order in which the gateways ask can't make their answers differ. Faults (see
 * faults.ts) are applied on the way out, decided by hash from the document being run (read
 * from the request id the gateways forward) and the item.
 */
export class ReplayProxy {
  readonly urls = {} as Record<SubgraphName, string>;
  private readonly recorded = new Map<string, RecordedItem>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly exchanges = new Map<string, Exchange[]>();
  private readonly agent = new Agent({ keepAliveTimeout: 30_000, connections: 32 });
  private server?: Server;
  counts = { requests: 0, forwarded: 0 };
  /** The proxy's own failures (a request it couldn't read, a subgraph it couldn't reach): each is a harness bug, not a finding. */
  readonly failures: string[] = [];

  constructor(private readonly options: ReplayProxyOptions) {}

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.failures.push(`${req.method} ${req.url} (${String(req.headers['x-request-id'])}): ${(err as Error).stack ?? String(err)}`);
        if (!res.headersSent) res.writeHead(599, { 'content-type': 'text/plain' });
        res.end(`replay proxy failed: ${(err as Error).stack ?? String(err)}`);
      });
    });
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    const { port } = server.address() as AddressInfo;
    for (const name of Object.keys(this.options.realUrls) as SubgraphName[]) this.urls[name] = `http://127.0.0.1:${port}/${name}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await this.agent.close();
  }

  /** What the gateways asked and got while running this document (all attempts and callers). */
  exchangesOf(documentId: string): Exchange[] {
    return this.exchanges.get(documentId) ?? [];
  }

  forget(documentId: string): void {
    this.exchanges.delete(documentId);
  }

  /** Each gateway sends the same request text (and again on a rerun): split it once. */
  private readonly parsedRequests = new Map<string, ReturnType<typeof parseSubgraphRequest>>();

  private parse(text: string, body: Parameters<typeof parseSubgraphRequest>[0], scope: string): ReturnType<typeof parseSubgraphRequest> {
    const key = `${scope}|${text}`;
    let parsed = this.parsedRequests.get(key);
    if (!parsed) {
      parsed = parseSubgraphRequest(body, scope);
      if (this.parsedRequests.size >= 500) this.parsedRequests.delete(this.parsedRequests.keys().next().value!);
      this.parsedRequests.set(key, parsed);
    }
    return parsed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const subgraph = (req.url ?? '/').split('/')[1]?.split('?')[0] as SubgraphName;
    const realUrl = this.options.realUrls[subgraph];
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (!realUrl || req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    this.counts.requests += 1;
    const tag = TAG.exec(String(req.headers['x-request-id'] ?? ''));
    const documentId = tag?.[1];
    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    const body = JSON.parse(text) as { query?: string; variables?: Record<string, unknown>; operationName?: string | null };
    const exchange: Exchange = {
      caller: tag ? `${tag[2]}#${tag[3]}` : 'untagged', subgraph, request: body, itemFaults: [], forwarded: false, ms: 0, delayMs: 0,
    };
    if (documentId) {
      const list = this.exchanges.get(documentId) ?? [];
      list.push(exchange);
      this.exchanges.set(documentId, list);
    }
    // Answers may differ by who asks: the credential is part of every item's key.
    const scope = `${subgraph}|${authorization ? unitHash(authorization).toFixed(12) : 'anonymous'}`;
    const parsed = this.parse(text, body, scope);
    exchange.forwarded = await this.ensureRecorded(parsed.items, realUrl, text, req.headers);
    if (exchange.forwarded) this.counts.forwarded += 1;

    const fault = this.options.faults.requestFault(documentId, subgraph);
    exchange.fault = fault;
    const send = (status: number, contentType: string, payload: string) => {
      exchange.status = status;
      exchange.body = payload;
      exchange.ms = Date.now() - started;
      res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
    };
    switch (fault) {
      case 'http-500':
      case 'http-503':
        send(fault === 'http-500' ? 500 : 503, 'text/plain', 'Injected failure');
        return;
      case 'reset':
        exchange.ms = Date.now() - started;
        exchange.body = '(connection reset)';
        req.socket.destroy();
        return;
      case 'bad-json':
        send(200, 'application/json', '<html>Injected: not JSON</html>');
        return;
      case 'errors-only':
        send(200, 'application/json', JSON.stringify({
          data: null, errors: [{ message: `Injected: the ${subgraph} service could not answer`, extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        }));
        return;
      default:
        break;
    }
    const answer = this.assemble(parsed.fields, parsed.items, documentId, subgraph, exchange);
    exchange.delayMs = this.options.faults.delayMs(documentId, subgraph);
    if (exchange.delayMs > 0 && fault !== 'timeout') {
      setTimeout(() => send(answer.status, answer.contentType, answer.body), exchange.delayMs);
      return;
    }
    if (fault === 'timeout') {
      // Held past the gateways' fetch timeout: they give up first and close the connection.
      const timer = setTimeout(() => send(answer.status, answer.contentType, answer.body), this.options.holdMs);
      res.on('close', () => {
        clearTimeout(timer);
        if (exchange.status === undefined) exchange.body = '(held; the gateway gave up)';
        exchange.ms = Date.now() - started;
      });
      return;
    }
    send(answer.status, answer.contentType, answer.body);
  }

  /** Records what isn't recorded yet by sending this request to the real subgraph; true if it had to. */
  private async ensureRecorded(items: RequestItem[], realUrl: string, text: string, headers: IncomingMessage['headers']): Promise<boolean> {
    const missing = items.filter((item) => !this.recorded.has(item.storeKey));
    if (missing.length === 0) return false;
    const waits = missing.map((item) => this.pending.get(item.storeKey)).filter((p): p is Promise<void> => p !== undefined);
    const unclaimed = missing.filter((item) => !this.pending.has(item.storeKey));
    if (unclaimed.length > 0) {
      const forwarding = this.forward(items, realUrl, text, headers);
      for (const item of unclaimed) this.pending.set(item.storeKey, forwarding);
      waits.push(forwarding.finally(() => { for (const item of unclaimed) this.pending.delete(item.storeKey); }));
    }
    await Promise.all(waits);
    return true;
  }

  private async forward(items: RequestItem[], realUrl: string, text: string, headers: IncomingMessage['headers']): Promise<void> {
    const forwardHeaders: Record<string, string> = { 'content-type': 'application/json' };
    for (const name of ['authorization', 'x-request-id']) if (typeof headers[name] === 'string') forwardHeaders[name] = headers[name] as string;
    const response = await request(realUrl, { method: 'POST', headers: forwardHeaders, body: text, dispatcher: this.agent });
    const payload = await response.body.text();
    const contentType = String(response.headers['content-type'] ?? '');
    let answer: { data?: Record<string, unknown> | null; errors?: SubgraphError[] } | undefined;
    try {
      answer = contentType.includes('json') ? JSON.parse(payload) : undefined;
    } catch {
      answer = undefined;
    }
    const keep = (item: RequestItem, recorded: RecordedItem) => {
      if (!this.recorded.has(item.storeKey)) this.recorded.set(item.storeKey, recorded);
    };
    if (!answer || (answer.data === undefined && !answer.errors)) {
      for (const item of items) keep(item, { value: null, errors: [], nullsData: true, orphans: [], failure: { status: response.statusCode, contentType, body: payload } });
      return;
    }
    const errors = answer.errors ?? [];
    const owned = new Set<SubgraphError>();
    const errorsOf = (item: RequestItem): SubgraphError[] => errors.filter((e) => {
      const path = e.path ?? [];
      const mine = path[0] === item.responseKey && (item.index === undefined || path[1] === item.index);
      if (mine) owned.add(e);
      return mine;
    }).map((e) => ({ ...e, path: (e.path ?? []).slice(item.index === undefined ? 1 : 2) }));
    const perItem = items.map((item) => errorsOf(item));
    const orphans = errors.filter((e) => !owned.has(e));
    items.forEach((item, i) => {
      const data = answer!.data;
      const field = data ? data[item.responseKey] : null;
      const value = item.index === undefined ? field : Array.isArray(field) ? field[item.index] : null;
      keep(item, { value: value === undefined ? null : value, errors: perItem[i], nullsData: data === null || data === undefined, orphans });
    });
  }

  /** The answer to this request from the recorded items, with this document's item faults applied. */
  private assemble(
    fields: ReturnType<typeof parseSubgraphRequest>['fields'], items: RequestItem[], documentId: string | undefined, subgraph: string, exchange: Exchange,
  ): { status: number; contentType: string; body: string } {
    const recorded = items.map((item) => this.recorded.get(item.storeKey)!);
    const failed = recorded.find((r) => r.failure);
    if (failed?.failure) return { status: failed.failure.status, contentType: failed.failure.contentType, body: failed.failure.body };
    const data: Record<string, unknown> = {};
    const errors: SubgraphError[] = [];
    const orphans = new Map<string, SubgraphError>();
    let nullsData = false;
    for (const field of fields) if (field.representations !== undefined) data[field.responseKey] = [];
    items.forEach((item, i) => {
      const record = recorded[i];
      const prefix: JsonPath = item.index === undefined ? [item.responseKey] : [item.responseKey, item.index];
      let value = record.value;
      let itemErrors: SubgraphError[] = record.errors.map((e) => ({ ...e, path: [...prefix, ...(e.path ?? [])] }));
      const fault = this.options.faults.itemFault(documentId, subgraph, item.faultKey);
      if (fault) {
        const error = (path?: JsonPath): SubgraphError => ({
          message: `Injected ${fault.kind} in ${subgraph}`, ...(path ? { path } : {}), ...(fault.code ? { extensions: { code: fault.code } } : {}),
        });
        let kind = fault.kind;
        const inner = kind === 'null-inside' || kind === 'error-inside' ? pathInside(value, fault.random) : undefined;
        if ((kind === 'null-inside' || kind === 'error-inside') && !inner) kind = kind === 'null-inside' ? 'null' : 'error';
        if (kind === 'null') value = null;
        else if (kind === 'error') {
          value = null;
          itemErrors = [error(prefix)];
        } else if (kind === 'error-no-path') itemErrors = [...itemErrors, error()];
        else if (inner) {
          // The record is shared by every later answer: the fault goes into a copy.
          value = structuredClone(value);
          setAt(value, inner, null);
          if (kind === 'error-inside') itemErrors = [...itemErrors.filter((e) => !startsWith(e.path, [...prefix, ...inner])), error([...prefix, ...inner])];
        }
        exchange.itemFaults.push(`${prefix.join('.')}${inner ? `>${inner.join('.')}` : ''}: ${kind}${fault.code ? ` (${fault.code})` : ''}`);
      }
      if (item.index === undefined) data[item.responseKey] = value;
      else (data[item.responseKey] as unknown[])[item.index] = value;
      errors.push(...itemErrors);
      for (const orphan of record.orphans) orphans.set(canonicalJson(orphan), orphan);
      nullsData ||= record.nullsData;
    });
    const allErrors = [...errors, ...orphans.values()];
    const body = { ...(allErrors.length > 0 ? { errors: allErrors } : {}), data: nullsData ? null : data };
    return { status: 200, contentType: 'application/json', body: JSON.stringify(body) };
  }
}

function startsWith(path: JsonPath | undefined, prefix: JsonPath): boolean {
  return path !== undefined && prefix.every((step, i) => path[i] === step);
}
