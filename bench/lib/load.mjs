// One load run with autocannon: rotating variables, every response checked, own latency record
// (autocannon's summary has no p95).
import autocannon from 'autocannon';

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** Checks one response body; returns an error description or undefined. */
export function checkResponse(status, body, check, vars) {
  if (status !== 200) return `HTTP ${status}: ${String(body).slice(0, 200)}`;
  let json;
  try {
    json = JSON.parse(body);
  } catch {
    return `not JSON: ${String(body).slice(0, 200)}`;
  }
  if (Array.isArray(json.errors) && json.errors.length) return `errors: ${json.errors.map((e) => e.message).join('; ').slice(0, 300)}`;
  if (!json.data) return 'no data';
  const wrong = check ? check(json.data, vars) : undefined;
  return wrong ? `wrong shape: ${wrong}` : undefined;
}

/**
 * Steps: [{ text, op, vars(ctx) -> variables, check(data, vars), after?(ctx, data) }]; one step
 * is a plain rotation, several a sequence each connection walks through (the write mix).
 */
export async function runLoad({ url, connections, duration, amount, steps, headers, compressed = false, timeoutSeconds = 30 }) {
  const errorSamples = new Map();
  let checkErrors = 0;
  let checked = 0;
  const latencies = [];
  const requests = steps.map((step, index) => ({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json' },
    setupRequest(req, ctx) {
      const variables = step.vars(ctx);
      ctx[`vars${index}`] = variables;
      req.body = JSON.stringify({ query: step.text, variables, operationName: step.op });
      if (headers) req.headers = { 'content-type': 'application/json', ...headers(variables, ctx) };
      return req;
    },
    onResponse(status, body, ctx) {
      checked += 1;
      let problem;
      try {
        // A compressed body is not JSON to autocannon (it doesn't decode): its status is checked, and
        // the same requests uncompressed are checked in full by the other gateways of the run.
        if (compressed) problem = status === 200 ? undefined : `HTTP ${status}`;
        else {
          problem = checkResponse(status, typeof body === 'string' ? body : String(body), step.check, ctx[`vars${index}`]);
          if (!problem && step.after) step.after(ctx, JSON.parse(body).data);
        }
      } catch (err) {
        problem = `check failed: ${err.message}`;
      }
      if (problem) {
        checkErrors += 1;
        const key = problem.slice(0, 120);
        errorSamples.set(key, (errorSamples.get(key) ?? 0) + 1);
      }
    },
  }));
  const options = {
    url,
    connections,
    pipelining: 1,
    timeout: timeoutSeconds,
    requests,
    ...(amount ? { amount } : { duration }),
  };
  const started = process.hrtime.bigint();
  const result = await new Promise((resolve, reject) => {
    const instance = autocannon(options, (err, res) => (err ? reject(err) : resolve(res)));
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const transportErrors = result.errors ?? 0;
  if (transportErrors) errorSamples.set(`transport errors/timeouts (${result.timeouts ?? 0} timeouts)`, transportErrors);
  const completed = latencies.length;
  return {
    completed,
    sent: result.requests?.sent ?? completed,
    checked,
    elapsedSeconds,
    rps: completed / (result.duration || elapsedSeconds),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: checkErrors + transportErrors + Math.max(0, completed - checked),
    errorSamples: Object.fromEntries(errorSamples),
    responseBytes: completed ? Math.round((result.throughput?.total ?? 0) / completed) : 0,
  };
}
