import type { ChangeVerdict } from './judgeChanges';
import type { SchemaCheckResult } from './runSchemaCheck';

const MARK = { fail: 'FAIL', pass: 'pass', dangerous: 'warn' };

/** The report a person reads: the verdict first, then each change with who uses it and why. */
export function formatReport(result: SchemaCheckResult): string {
  const lines: string[] = [];
  lines.push(`Schema check against ${result.base}`);
  if (result.usage) {
    const age = Math.floor((Date.now() - Date.parse(result.usage.exportedAt)) / 86_400_000);
    lines.push(`Field usage: exported ${result.usage.exportedAt} (${age} days ago) from ${result.usage.sources.join(', ')}; window ${result.usage.windowDays} days before the export`);
  } else lines.push('Field usage: none given (--usage <file>): judged by the registered operations only');
  lines.push('');
  if (result.compositionErrors) {
    lines.push('FAIL  composition: the subgraphs do not compose', indent(result.compositionErrors), '');
  }
  if (result.baseCompositionErrors) lines.push(`note  the base does not compose (${firstLine(result.baseCompositionErrors)}): API changes can't be listed; operations are still validated`, '');
  const api = result.api;
  if (api) {
    const breaking = api.changes.filter((c) => c.level === 'breaking');
    const dangerous = api.changes.filter((c) => c.level === 'dangerous');
    const safe = api.changes.filter((c) => c.level === 'safe');
    lines.push(`API schema: ${api.changes.length} change(s): ${breaking.length} breaking, ${dangerous.length} dangerous, ${safe.length} safe`);
    for (const change of [...breaking, ...dangerous]) lines.push(...formatChange(change));
    for (const change of safe) lines.push(`  pass  ${short(change.message)}`);
    for (const invalid of api.invalidOperations) {
      lines.push(`  FAIL  operation ${invalid.operation} no longer validates against the new API schema:`);
      for (const error of invalid.errors) lines.push(`          ${error}`);
    }
    for (const approval of api.unusedApprovals) lines.push(`  note  approval for ${approval.change} matches no change (remove it from schema-approvals.json)`);
    lines.push('');
  }
  if (result.subgraphChanges.length > 0) {
    lines.push('Subgraph schemas (as classified per subgraph; clients are judged on the API schema above):');
    for (const subgraph of [...new Set(result.subgraphChanges.map((c) => c.subgraph))]) {
      const changes = result.subgraphChanges.filter((c) => c.subgraph === subgraph);
      const safe = changes.filter((c) => c.level === 'safe').length;
      lines.push(`  ${subgraph}: ${changes.length} change(s), ${safe} safe`);
      for (const change of changes.filter((c) => c.level !== 'safe')) lines.push(`    ${change.level}: ${short(change.message)}`);
    }
    lines.push('');
  }
  const failures = (api?.changes.filter((c) => !c.pass).length ?? 0) + (api?.invalidOperations.length ?? 0) + (result.compositionErrors ? 1 : 0);
  lines.push(result.pass ? 'Schema check passed.' : `Schema check FAILED: ${failures} problem(s) above.`);
  return lines.join('\n');
}

function formatChange(change: ChangeVerdict): string[] {
  const mark = !change.pass ? MARK.fail : change.level === 'dangerous' ? MARK.dangerous : MARK.pass;
  const lines = [`  ${mark}  [${change.level}] ${short(change.message)}   (${change.id})`];
  for (const reason of change.reasons) lines.push(`          ${reason}`);
  for (const use of change.operations) lines.push(`          operation ${use.operation}: ${use.how}`);
  for (const client of change.clients) lines.push(`          client ${client.client}: ${client.field} ${client.count} times, last ${client.lastUsedAt ?? 'unknown'}`);
  return lines;
}

/** One line: descriptions can be paragraphs, and the JSON output has them whole. */
function short(message: string): string {
  const line = message.replace(/\s+/g, ' ');
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

function indent(text: string): string {
  return text.split('\n').map((l) => `      ${l}`).join('\n');
}

function firstLine(text: string): string {
  return text.split('\n').slice(0, 2).join(' ');
}
