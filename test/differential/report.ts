import type { Outcome } from './harness';

const MAX_BODY = 20_000;

function pretty(body: string): string {
  let text: string;
  try {
    text = JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    text = body;
  }
  return text.length > MAX_BODY ? `${text.slice(0, MAX_BODY)}\n… (${text.length - MAX_BODY} more characters)` : text;
}

/** Everything needed to reproduce and read one divergence: the document, the plan, both answers and every subgraph exchange. */
export function formatDivergence(outcome: Outcome, queryPlan: string): string {
  const { document, labels, answers } = outcome;
  const lines = [
    `=== divergence in ${document.id} (attempt ${outcome.attempts}; caller ${JSON.stringify(document.caller)}) ===`,
    ...outcome.differences.map((d) => `  * ${d}`),
    '--- document' + (document.operationName ? ` (operationName ${document.operationName})` : ''),
    document.query,
    '--- variables',
    JSON.stringify(document.variables, null, 2),
    '--- query plan',
    queryPlan,
  ];
  labels.forEach((label, i) => lines.push(`--- ${label}: HTTP ${answers[i].status}`, pretty(answers[i].body)));
  lines.push(`--- subgraph exchanges (${outcome.exchanges.length})`);
  for (const e of outcome.exchanges) {
    lines.push(
      `[${e.caller}] ${e.subgraph}${e.fault ? ` FAULT ${e.fault}` : ''}${e.delayMs && e.fault !== 'timeout' ? ` slow by ${e.delayMs} ms` : ''}${e.itemFaults.length ? ` item faults: ${e.itemFaults.join('; ')}` : ''}${e.forwarded ? ' (recorded now)' : ''} ${e.ms} ms`,
      `  query: ${e.request.query?.replace(/\s+/g, ' ')}`,
      `  variables: ${JSON.stringify(e.request.variables ?? {})}`,
      `  answer: ${e.status === undefined ? '' : `HTTP ${e.status} `}${(e.body ?? '').length > MAX_BODY ? `${e.body!.slice(0, MAX_BODY)}…` : e.body ?? ''}`,
    );
  }
  return lines.join('\n');
}
