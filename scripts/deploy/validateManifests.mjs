// Checks deploy/'s manifests without a cluster: each document against the Kubernetes API schema
// of its kind (kubernetes-models: the OpenAPI schemas of the API server, as JSON-schema
// validators), with no field the schema lacks (scripts/deploy/unknownFields.mjs: kubectl's strict
// field validation would refuse it), then what a schema can't see: kustomization.yaml lists
// every manifest and nothing missing, every Service, HPA, PDB and NetworkPolicy points at pods
// that exist, and every probe names a port its container opens.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { unknownFields } from './unknownFields.mjs';

/** The kubernetes-models class for an apiVersion and kind (`apps/v1` Deployment), or undefined. */
async function modelFor(apiVersion, kind) {
  try {
    const mod = await import(`kubernetes-models/${apiVersion}/${kind}`);
    return mod[kind];
  } catch {
    return undefined;
  }
}

/** Every document of every .yaml under `dir` but kustomization.yaml: [{ file, doc }]. */
export function readManifests(dir) {
  const out = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort()) {
    for (const d of parseAllDocuments(readFileSync(path.join(dir, file), 'utf8'))) {
      if (d.errors.length) throw new Error(`${file}: ${d.errors[0].message}`);
      const doc = d.toJS();
      if (doc) out.push({ file, doc });
    }
  }
  return out;
}

const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);

/** Problems found in `dir` (empty: valid), each one line naming its file and object. */
export async function validateManifests(dir) {
  const problems = [];
  let manifests;
  try {
    manifests = readManifests(dir);
  } catch (err) {
    return [err.message];
  }
  for (const { file, doc } of manifests) {
    const where = `${file}: ${doc.kind ?? '?'} ${doc.metadata?.name ?? '?'}`;
    if (!doc.apiVersion || !doc.kind) { problems.push(`${where}: no apiVersion or kind`); continue; }
    const Model = await modelFor(doc.apiVersion, doc.kind);
    if (!Model) { problems.push(`${where}: ${doc.apiVersion} ${doc.kind} is not a Kubernetes API kind`); continue; }
    try {
      new Model(doc).validate();
    } catch (err) {
      problems.push(`${where}: ${err.message}`);
      continue;
    }
    for (const field of await unknownFields(doc)) problems.push(`${where}: ${field} is not a field of ${doc.apiVersion} ${doc.kind}`);
  }

  const kustomization = parseAllDocuments(readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8'))[0].toJS();
  const listed = new Set(kustomization.resources ?? []);
  const files = new Set(manifests.map((m) => m.file));
  for (const f of files) if (!listed.has(f)) problems.push(`kustomization.yaml: ${f} is not in resources`);
  for (const f of listed) if (!files.has(f)) problems.push(`kustomization.yaml: resource ${f} does not exist`);

  const deployments = manifests.filter((m) => m.doc.kind === 'Deployment').map((m) => m.doc);
  const podLabels = [...deployments, ...manifests.filter((m) => m.doc.kind === 'Job').map((m) => m.doc)].map((d) => d.spec?.template?.metadata?.labels ?? {});
  for (const { file, doc } of manifests) {
    const where = `${file}: ${doc.kind} ${doc.metadata?.name}`;
    if (doc.kind === 'Service' || doc.kind === 'PodDisruptionBudget') {
      const selector = doc.kind === 'Service' ? doc.spec?.selector : doc.spec?.selector?.matchLabels;
      if (!podLabels.some((l) => matches(selector, l))) problems.push(`${where}: selects no pod of any Deployment`);
    }
    if (doc.kind === 'HorizontalPodAutoscaler') {
      const ref = doc.spec?.scaleTargetRef;
      if (!deployments.some((d) => ref?.kind === 'Deployment' && d.metadata?.name === ref.name)) problems.push(`${where}: scales ${ref?.kind} ${ref?.name}, which is not here`);
    }
    if (doc.kind === 'NetworkPolicy') {
      const selector = doc.spec?.podSelector?.matchLabels;
      if (selector && Object.keys(selector).length && !podLabels.some((l) => matches(selector, l))) problems.push(`${where}: applies to no pod`);
      for (const rule of doc.spec?.ingress ?? []) {
        for (const peer of rule.from ?? []) {
          const s = peer.podSelector?.matchLabels;
          if (s && !peer.namespaceSelector && !podLabels.some((l) => matches(s, l))) problems.push(`${where}: admits ${JSON.stringify(s)}, which matches no pod`);
        }
      }
    }
    if (doc.kind === 'Deployment') {
      if (!matches(doc.spec?.selector?.matchLabels, doc.spec?.template?.metadata?.labels)) problems.push(`${where}: selector does not match its pod template`);
      for (const c of doc.spec?.template?.spec?.containers ?? []) {
        const ports = new Set((c.ports ?? []).flatMap((p) => [p.containerPort, p.name]));
        for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
          const port = c[probe]?.httpGet?.port;
          if (!c[probe]) problems.push(`${where}: container ${c.name} has no ${probe}`);
          else if (!ports.has(port)) problems.push(`${where}: ${probe} of ${c.name} on port ${port}, which it does not open`);
          else if (!String(c[probe].httpGet.path).startsWith('/health/')) problems.push(`${where}: ${probe} of ${c.name} is not on /health/*`);
        }
        if (!c.resources?.requests?.cpu || !c.resources?.limits?.memory) problems.push(`${where}: container ${c.name} lacks a CPU request or memory limit`);
      }
    }
  }
  return problems;
}
