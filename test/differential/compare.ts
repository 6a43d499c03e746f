/** A gateway's HTTP answer to one document, as it came over the wire. */
export interface GatewayAnswer {
  status: number;
  body: string;
}

interface ResponseError { message?: unknown; path?: unknown; extensions?: { code?: unknown } }
interface ResponseBody { data?: unknown; errors?: ResponseError[]; extensions?: { valueCompletion?: ResponseError[] } }

/**
 * The parts of a response the two executors must agree on:
 * - the HTTP status;
 * - `data`, byte for byte as JSON.stringify writes it (so field order counts);
 * - `errors` as (message, path, extensions.code), sorted: stock pushes a fetch's errors when the
 *   fetch completes, so within a Parallel node their order is the order the subgraphs answered
 *   in, which differs from run to run even between two stock gateways;
 * - `extensions.valueCompletion` the same way (stock's post-processing errors when no fetch failed).
 * Everything else (request ids, other extensions, serviceName) is left out.
 */
export interface Comparable {
  status: number;
  data: string | undefined;
  errors: string[];
  valueCompletion: string[];
  /** The body, when it wasn't JSON. */
  raw?: string;
}

function errorKeys(errors: ResponseError[] | undefined): string[] {
  return (errors ?? []).map((e) => JSON.stringify([e.message, e.path ?? null, e.extensions?.code ?? null])).sort();
}

/** An answer's body as JSON, or undefined when it isn't JSON. */
export function parseAnswer(body: string): Record<string, any> | undefined {
  try {
    return JSON.parse(body) as Record<string, any>;
  } catch {
    return undefined;
  }
}

export function comparable(answer: GatewayAnswer): Comparable {
  let body: ResponseBody;
  try {
    body = JSON.parse(answer.body) as ResponseBody;
  } catch {
    return { status: answer.status, data: undefined, errors: [], valueCompletion: [], raw: answer.body };
  }
  return {
    status: answer.status,
    data: 'data' in body ? JSON.stringify(body.data) : undefined,
    errors: errorKeys(body.errors),
    valueCompletion: errorKeys(body.extensions?.valueCompletion),
  };
}

/** What differs between two answers, one line each; empty when they agree. */
export function differences(a: GatewayAnswer, b: GatewayAnswer, labels: [string, string]): string[] {
  const x = comparable(a);
  const y = comparable(b);
  const out: string[] = [];
  if (x.status !== y.status) out.push(`HTTP status: ${labels[0]} ${x.status}, ${labels[1]} ${y.status}`);
  if (x.raw !== y.raw) out.push(`non-JSON body on ${x.raw !== undefined ? labels[0] : labels[1]}`);
  if (x.data !== y.data) out.push(`data differs ${firstDifference(x.data, y.data)}`);
  const errorDiff = listDifference(x.errors, y.errors, labels);
  if (errorDiff) out.push(`errors differ: ${errorDiff}`);
  const completionDiff = listDifference(x.valueCompletion, y.valueCompletion, labels);
  if (completionDiff) out.push(`extensions.valueCompletion differs: ${completionDiff}`);
  return out;
}

function firstDifference(a: string | undefined, b: string | undefined): string {
  if (a === undefined || b === undefined) return `(absent on ${a === undefined ? 'the first' : 'the second'})`;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i += 1;
  return `at character ${i}: …${a.slice(Math.max(0, i - 60), i + 60)}… vs …${b.slice(Math.max(0, i - 60), i + 60)}…`;
}

/** Both lists are sorted: equal as multisets when equal element by element. */
function listDifference(a: string[], b: string[], labels: [string, string]): string | undefined {
  if (a.length === b.length && a.every((e, i) => e === b[i])) return undefined;
  const onlyA = a.filter((e) => !b.includes(e));
  const onlyB = b.filter((e) => !a.includes(e));
  return [
    onlyA.length ? `only ${labels[0]}: ${onlyA.join(' ')}` : '',
    onlyB.length ? `only ${labels[1]}: ${onlyB.join(' ')}` : '',
    `(${a.length} vs ${b.length}${onlyA.length || onlyB.length ? '' : `, repeated differently: ${labels[0]} ${a.join(' ')}; ${labels[1]} ${b.join(' ')}`})`,
  ].filter(Boolean).join('; ');
}
