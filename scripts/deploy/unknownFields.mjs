// Fields the Kubernetes API schema doesn't have (`livenesProbe:`, `resource:`): kubernetes-models'
// validators ignore them, as the API server's non-strict decoding would, and kubectl's strict
// field validation would then refuse the manifest at deploy time. The schema validator is run on
// a proxy of the document that records which keys it reads: a key it never reads is not in the
// schema. Maps the schema leaves open (labels, annotations) are enumerated, which marks them known.

/** The schema module of an apiVersion and kind: `apps/v1` Deployment -> IoK8sApiAppsV1Deployment. */
export function schemaName(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  const cap = (x) => x.charAt(0).toUpperCase() + x.slice(1);
  return `IoK8sApi${cap(group.split('.')[0])}${cap(version)}${kind}`;
}

/** Paths (`spec.template.spec.containers[0].livenesProbe`) of keys the schema of `doc` lacks. */
export async function unknownFields(doc) {
  const { validate } = await import(`kubernetes-models/_schemas/${schemaName(doc.apiVersion, doc.kind)}`);
  const read = new WeakMap(); // object -> Set of keys read, or true when enumerated
  const proxies = new WeakMap();
  const wrap = (value) => {
    if (!value || typeof value !== 'object') return value;
    if (proxies.has(value)) return proxies.get(value);
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        const keys = read.get(target) ?? new Set();
        if (keys !== true) keys.add(key);
        read.set(target, keys);
        return wrap(Reflect.get(target, key, receiver));
      },
      ownKeys(target) {
        read.set(target, true);
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  validate(wrap(doc));
  const out = [];
  const walk = (value, at) => {
    if (!value || typeof value !== 'object') return;
    if (Array.isArray(value)) { value.forEach((v, i) => walk(v, `${at}[${i}]`)); return; }
    const keys = read.get(value);
    for (const key of Object.keys(value)) {
      const here = at ? `${at}.${key}` : key;
      if (keys !== true && !keys?.has(key)) out.push(here);
      else walk(value[key], here);
    }
  };
  walk(doc, '');
  return out;
}
