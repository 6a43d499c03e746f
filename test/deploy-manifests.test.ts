import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * `npm run deploy:validate` (scripts/deployValidate.mjs) on deploy/ as committed, and on copies
 * broken the ways a hand edit breaks a manifest: each must fail, naming the file and the object.
 */
const root = path.resolve(__dirname, '..');
const copies: string[] = [];
afterAll(() => copies.forEach((d) => rmSync(d, { recursive: true, force: true })));

function validate(dir: string) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/deployValidate.mjs'), dir], { cwd: root, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** A copy of deploy/ with `file` edited by `edit`. */
function broken(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deploy-validate-'));
  copies.push(dir);
  cpSync(path.join(root, 'deploy'), dir, { recursive: true });
  const target = path.join(dir, file);
  writeFileSync(target, edit(readFileSync(target, 'utf8')));
  return dir;
}

test('the committed manifests are valid', () => {
  const r = validate(path.join(root, 'deploy'));
  expect(r.output).toMatch(/valid Kubernetes API objects/);
  expect(r.status).toBe(0);
});

test.each([
  ['a field of the wrong type', 'gateway.yaml', (t: string) => t.replace('replicas: 2', 'replicas: two'), /gateway.yaml: Deployment gateway: .*replicas must be integer/],
  ['a required field missing', 'catalog.yaml', (t: string) => t.replace('        - name: catalog\n', '        - \n'), /catalog.yaml: Deployment catalog: .*must have required property '?name'?/],
  ['a misspelt field', 'playback-session.yaml', (t: string) => t.replace('          livenessProbe:', '          livenesProbe:'), /playback-session.yaml: Deployment playback-session: spec.template.spec.containers\[0\].livenesProbe is not a field of apps\/v1 Deployment/],
  ['a kind the API does not have', 'profile.yaml', (t: string) => t.replace('kind: PodDisruptionBudget', 'kind: PodDisruptionBudgets'), /profile.yaml: PodDisruptionBudgets profile: .*not a Kubernetes API kind/],
  ['a probe on a port the container does not open', 'recommendation.yaml', (t: string) => t.replace('path: /health/ready, port: 4004', 'path: /health/ready, port: 4044'), /readinessProbe of recommendation on port 4044/],
  ['a NetworkPolicy admitting pods that do not exist', 'profile.yaml', (t: string) => t.replace('app.kubernetes.io/name: recommendation }', 'app.kubernetes.io/name: recommendations }'), /NetworkPolicy profile: admits .*recommendations/],
  ['an HPA scaling a Deployment that is not there', 'catalog.yaml', (t: string) => t.replace('kind: Deployment, name: catalog', 'kind: Deployment, name: catalogue'), /HorizontalPodAutoscaler catalog: scales Deployment catalogue/],
  ['a manifest the kustomization leaves out', 'kustomization.yaml', (t: string) => t.replace('  - migrate-catalog.yaml\n', ''), /migrate-catalog.yaml is not in resources/],
])('%s fails validation', (_what, file, edit, message) => {
  const r = validate(broken(file, edit));
  expect(r.output).toMatch(message);
  expect(r.status).toBe(1);
});
