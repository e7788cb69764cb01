/**
 * Offline schema validation of synthesized Kubernetes manifests, for tests.
 *
 *   validateManifest(obj)  -> string[]   ([] = valid)
 *   validateAll(objs)      -> string[]
 *
 * Messages look like
 *   Rollout/sample-app: /spec/strategy/canary/steps/0/setWeight must be integer
 *   Service/web: /spec has unknown field "selectr"
 *
 * Schemas come from .tools/ (run `scripts/tools.sh crds`):
 *   - custom resources (argoproj.io, monitoring.coreos.com,
 *     gateway.networking.k8s.io, networking.istio.io, ...): the served
 *     version's openAPIV3Schema from the pinned upstream CRDs in
 *     .tools/crds/<project>/*.yaml;
 *   - built-in kinds (Service, Ingress, Deployment, Job, ...): the Kubernetes
 *     OpenAPI v3 documents in .tools/openapi/v3.
 *
 * Semantics follow the API server with `kubectl apply --validate=strict`:
 *   - unknown fields are errors (CRD structural schemas: everything not
 *     declared is pruned, so strict field validation reports it; an object is
 *     open only under x-kubernetes-preserve-unknown-fields or
 *     additionalProperties);
 *   - x-kubernetes-int-or-string = integer or string; format int32 is range
 *     checked; byte must be base64; date-time is RFC 3339;
 *   - `required`, `enum`, `pattern`, min/max... are enforced;
 *   - metadata is checked against ObjectMeta and must carry a name;
 *   - an unknown apiVersion/kind is an error, never silently valid.
 * Not covered: CEL rules (x-kubernetes-validations) and the semantic checks
 * that live in Go code (e.g. label value syntax, port ranges of Services).
 * JSON null is rejected unless the schema says nullable (the API server would
 * drop it, but a null in generated output is almost always a bug).
 *
 * Validators are compiled lazily, once per (apiVersion, kind), and cached in
 * memory and on disk (node_modules/.cache/canarykit-schema, as standalone
 * ajv modules keyed by a hash of the schema sources, this file and the ajv
 * version): compiling the Rollout schema takes seconds, loading it ~50 ms,
 * and jest re-imports this module for every test file. Set
 * CANARYKIT_SCHEMA_CACHE=0 to disable the disk cache.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { parseAllDocuments } from 'yaml';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const TOOLS_DIR = process.env.CANARYKIT_TOOLS_DIR ?? path.join(REPO_ROOT, '.tools');
const CRD_DIR = path.join(TOOLS_DIR, 'crds');
const OPENAPI_DIR = path.join(TOOLS_DIR, 'openapi', 'v3');

/** Base URI under which each Kubernetes OpenAPI document is registered in ajv. */
const K8S_BASE = 'https://openapi.k8s.invalid/';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const CACHE_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'canarykit-schema');
const DISK_CACHE = process.env.CANARYKIT_SCHEMA_CACHE !== '0';

function ensureTools(dir: string): void {
  if (!fs.existsSync(dir)) {
    throw new Error(
      `schema validation needs ${path.relative(REPO_ROOT, dir) || dir}, which is missing: ` +
        'run `scripts/tools.sh crds` (or plain `scripts/tools.sh`) from the repository root first.',
    );
  }
}

// ---------------------------------------------------------------------------
// OpenAPI / structural schema -> ajv (JSON Schema draft-07) conversion
// ---------------------------------------------------------------------------

type Mode = 'crd' | 'core';

/** Keywords copied verbatim; everything else (description, default, x-*, ...) is dropped. */
const PASSTHROUGH = new Set([
  'type', 'enum', 'required', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum',
  'minItems', 'maxItems', 'uniqueItems', 'multipleOf', 'minProperties', 'maxProperties', '$ref',
]);

/**
 * The formats we check are rewritten into plain keywords (no ajv format
 * plugins, so compiled validators are self-contained and cacheable). All
 * other formats (int64, double, uri, ...) are advisory in Kubernetes and are
 * dropped.
 */
const BASE64 = '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$';
const RFC3339 = '^\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:[Zz]|[+-]\\d{2}:\\d{2})$';
const FORMAT_KEYWORDS: Record<string, object> = {
  'int32': { minimum: -2147483648, maximum: 2147483647 },
  'byte': { pattern: BASE64 },
  'date-time': { pattern: RFC3339 },
};
const PATTERN_NAMES: Record<string, string> = {
  [BASE64]: 'be base64-encoded (format "byte")',
  [RFC3339]: 'be an RFC 3339 date-time',
};

function isValidRegExp(p: unknown): p is string {
  if (typeof p !== 'string') return false;
  try {
    new RegExp(p);
    return true;
  } catch {
    return false; // RE2-only syntax: skip rather than fail the whole schema
  }
}

/** `anyOf/oneOf: [{type: a}, {type: b}]` with nothing else -> [a, b]. */
function pureTypeUnion(branches: any[]): string[] | undefined {
  if (!Array.isArray(branches) || branches.length === 0) return undefined;
  const types: string[] = [];
  for (const b of branches) {
    if (!b || typeof b !== 'object' || Object.keys(b).length !== 1 || typeof b.type !== 'string') return undefined;
    types.push(b.type);
  }
  return types;
}

/**
 * Convert one schema node.
 * @param branch true inside allOf/anyOf/oneOf/not: such subschemas only add
 *   constraints in structural schemas, so they must not close objects.
 */
function convert(s: any, mode: Mode, branch = false): any {
  if (s === null || typeof s !== 'object' || Array.isArray(s)) return s;
  const out: any = {};
  for (const [k, v] of Object.entries<any>(s)) {
    if (PASSTHROUGH.has(k)) {
      if (k === 'pattern' && !isValidRegExp(v)) continue;
      out[k] = v;
    } else if (k === 'properties') {
      out.properties = Object.fromEntries(Object.entries<any>(v).map(([p, ps]) => [p, convert(ps, mode)]));
    } else if (k === 'additionalProperties') {
      out.additionalProperties = typeof v === 'object' ? convert(v, mode) : v;
    } else if (k === 'items') {
      out.items = Array.isArray(v) ? v.map((i) => convert(i, mode)) : convert(v, mode);
    } else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') {
      out[k] = v.map((b: any) => convert(b, mode, true));
    } else if (k === 'not') {
      out.not = convert(v, mode, true);
    }
  }
  if (typeof s.format === 'string' && FORMAT_KEYWORDS[s.format]) {
    // Only where the node's own pattern/minimum do not already say it.
    for (const [k, v] of Object.entries(FORMAT_KEYWORDS[s.format])) if (out[k] === undefined) out[k] = v;
  }

  // OpenAPI 3.0 boolean exclusiveMinimum/Maximum -> draft-07 numbers.
  if (s.exclusiveMinimum === true && typeof s.minimum === 'number') {
    out.exclusiveMinimum = s.minimum;
    delete out.minimum;
  }
  if (s.exclusiveMaximum === true && typeof s.maximum === 'number') {
    out.exclusiveMaximum = s.maximum;
    delete out.maximum;
  }

  // int-or-string (CRD marker, or the core IntOrString's format) and other
  // "one of these scalar types" unions (core Quantity: string|number) become
  // a plain type union: same semantics, far clearer error messages.
  if (s['x-kubernetes-int-or-string'] === true || s.format === 'int-or-string') {
    out.type = ['integer', 'string'];
    delete out.anyOf;
    delete out.oneOf;
  } else if (out.type === undefined) {
    for (const k of ['anyOf', 'oneOf'] as const) {
      const types = pureTypeUnion(s[k]);
      if (types) {
        out.type = types;
        delete out[k];
      }
    }
  }

  if (s.nullable === true && out.type !== undefined) {
    out.type = [...new Set([...(Array.isArray(out.type) ? out.type : [out.type]), 'null'])];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }

  // Embedded resources (e.g. RawExtension-like fields) always allow TypeMeta/ObjectMeta.
  if (s['x-kubernetes-embedded-resource'] === true) {
    out.properties = {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      ...(out.properties ?? {}),
    };
  }

  // Closing objects = strict field validation.
  //  crd:  every object is structural; without preserve-unknown-fields or
  //        additionalProperties, undeclared fields are pruned -> unknown.
  //  core: an object with declared properties is a Go struct -> closed;
  //        a bare `type: object` (RawExtension, FieldsV1) is free-form.
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const isObject = s.type === 'object' || (s.type === undefined && s.properties !== undefined);
  if (!branch && !preserve && isObject && out.additionalProperties === undefined) {
    if (mode === 'crd' || out.properties !== undefined) out.additionalProperties = false;
  }
  return out;
}

// ---------------------------------------------------------------------------
// ajv instance
// ---------------------------------------------------------------------------

let ajvInstance: Ajv | undefined;
function ajv(): Ajv {
  if (ajvInstance) return ajvInstance;
  ajvInstance = new Ajv({
    strict: false, // OpenAPI leftovers are not errors
    allErrors: true, // report every problem, not only the first
    validateSchema: false, // inputs are converted OpenAPI, not draft-07 documents
    unicodeRegExp: false, // Go (RE2) patterns; `u` rejects some harmless escapes
    allowUnionTypes: true,
    // source: needed to write standalone modules to the disk cache;
    // optimize: false roughly halves compile time of these huge schemas.
    code: { source: true, optimize: false },
  });
  return ajvInstance;
}

// ---------------------------------------------------------------------------
// Disk cache of compiled validators
// ---------------------------------------------------------------------------

const sha256 = (...parts: (string | Buffer)[]): string => {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('hex');
};

let selfHash: string | undefined;
/** Changes whenever this file (the conversion rules) or ajv changes. */
function codeHash(): string {
  if (selfHash === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ajvVersion: string = require('ajv/package.json').version;
    selfHash = sha256(fs.readFileSync(__filename), ajvVersion);
  }
  return selfHash;
}

const fileHashes = new Map<string, string>();
function fileHash(file: string): string {
  let h = fileHashes.get(file);
  if (h === undefined) {
    h = sha256(fs.readFileSync(file));
    fileHashes.set(file, h);
  }
  return h;
}

/** The validator stored on disk under `key`, if any. */
function loadCached(key: string): ValidateFunction | undefined {
  if (!DISK_CACHE) return undefined;
  const file = path.join(CACHE_DIR, `${key}.js`);
  if (!fs.existsSync(file)) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as ValidateFunction;
  } catch {
    return undefined; // corrupt entry: recompile (and overwrite)
  }
}

/** Store a freshly compiled validator; cache I/O problems are ignored. */
function storeCached(key: string, validate: ValidateFunction): ValidateFunction {
  if (!DISK_CACHE) return validate;
  try {
    const file = path.join(CACHE_DIR, `${key}.js`);
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, standaloneCode(ajv(), validate));
    fs.renameSync(tmp, file); // atomic: parallel jest workers may race here
  } catch {
    // read-only tree etc.: the in-memory validator is still fine
  }
  return validate;
}

// ---------------------------------------------------------------------------
// Kubernetes OpenAPI v3 (built-in kinds)
// ---------------------------------------------------------------------------

/** "v1" -> api__v1_openapi.json; "apps/v1" -> apis__apps__v1_openapi.json */
function openapiFile(group: string, version: string): string {
  return group === '' ? `api__${version}_openapi.json` : `apis__${group}__${version}_openapi.json`;
}

const k8sDocs = new Map<string, { id: string; schemas: Record<string, any> } | null>();

/** Load (once) and register the OpenAPI document of a group/version; null if Kubernetes has none. */
function k8sDoc(group: string, version: string): { id: string; schemas: Record<string, any> } | null {
  const file = openapiFile(group, version);
  if (k8sDocs.has(file)) return k8sDocs.get(file)!;
  ensureTools(OPENAPI_DIR);
  const full = path.join(OPENAPI_DIR, file);
  if (!fs.existsSync(full)) {
    k8sDocs.set(file, null);
    return null;
  }
  const doc = JSON.parse(fs.readFileSync(full, 'utf8'));
  const schemas: Record<string, any> = doc.components?.schemas ?? {};
  const id = K8S_BASE + file;
  const converted = Object.fromEntries(Object.entries(schemas).map(([n, s]) => [n, convert(s, 'core')]));
  ajv().addSchema({ $id: id, components: { schemas: converted } });
  const entry = { id, schemas };
  k8sDocs.set(file, entry);
  return entry;
}

function objectMetaRef(): string {
  const doc = k8sDoc('', 'v1');
  if (!doc) throw new Error(`Kubernetes OpenAPI document ${openapiFile('', 'v1')} not found in ${OPENAPI_DIR}`);
  return `${doc.id}#/components/schemas/${OBJECT_META}`;
}

function coreSchemaName(group: string, version: string, kind: string): string | undefined {
  const doc = k8sDoc(group, version);
  if (!doc) return undefined;
  for (const [name, s] of Object.entries<any>(doc.schemas)) {
    const gvks: any[] = s['x-kubernetes-group-version-kind'] ?? [];
    if (gvks.some((g) => (g.group ?? '') === group && g.version === version && g.kind === kind)) return name;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// CRDs (custom kinds)
// ---------------------------------------------------------------------------

interface CrdVersion {
  name: string;
  served: boolean;
  schema: any;
}
interface CrdEntry {
  group: string;
  kind: string;
  versions: CrdVersion[];
  file: string;
}

let crdFiles: string[] | undefined;
const crdsByFile = new Map<string, CrdEntry[]>();
const fileText = new Map<string, string>();

function readText(file: string): string {
  let t = fileText.get(file);
  if (t === undefined) {
    t = fs.readFileSync(file, 'utf8');
    fileText.set(file, t);
  }
  return t;
}

/** All upstream CRD files under .tools/crds/<project>/ (bundles/ holds copies). */
function listCrdFiles(): string[] {
  if (crdFiles) return crdFiles;
  ensureTools(CRD_DIR);
  const files: string[] = [];
  for (const project of fs.readdirSync(CRD_DIR).sort()) {
    const dir = path.join(CRD_DIR, project);
    if (project === 'bundles' || !fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir).sort()) {
      if (/\.ya?ml$/.test(f)) files.push(path.join(dir, f));
    }
  }
  crdFiles = files;
  return files;
}

function parseCrdFile(file: string): CrdEntry[] {
  const cached = crdsByFile.get(file);
  if (cached) return cached;
  const entries: CrdEntry[] = [];
  for (const doc of parseAllDocuments(readText(file))) {
    const crd = doc.toJS({ maxAliasCount: -1 });
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    entries.push({
      group: crd.spec.group,
      kind: crd.spec.names.kind,
      file,
      versions: (crd.spec.versions ?? []).map((v: any) => ({
        name: v.name,
        served: v.served !== false,
        schema: v.schema?.openAPIV3Schema,
      })),
    });
  }
  crdsByFile.set(file, entries);
  return entries;
}

/**
 * Parsing YAML is the slow part (the Argo CD CRD alone takes ~1 s), so look
 * at the raw text first and only parse files that mention both the group and
 * the kind as `group: X` / `kind: Y` lines (how every CRD generator writes
 * them). The parsed CRD is the authority; the scan is only a filter. If it
 * were ever too narrow, the result is a loud "unknown kind" error, never a
 * silently valid manifest.
 */
function findCrd(group: string, kind: string): CrdEntry | undefined {
  const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const kindLine = new RegExp(`^\\s+kind: ["']?${esc(kind)}["']?\\s*$`, 'm');
  const groupLine = new RegExp(`^\\s+group: ["']?${esc(group)}["']?\\s*$`, 'm');
  for (const f of listCrdFiles()) {
    const text = readText(f);
    if (!kindLine.test(text) || !groupLine.test(text)) continue;
    const hit = parseCrdFile(f).find((c) => c.group === group && c.kind === kind);
    if (hit) return hit;
  }
  return undefined;
}

let setHash: string | undefined;
/** One hash over every CRD file: part of the cache key of every custom kind. */
function crdSetHash(): string {
  if (setHash === undefined) setHash = sha256(...listCrdFiles().flatMap((f) => [path.relative(CRD_DIR, f), fileHash(f)]));
  return setHash;
}

let groupsCache: Set<string> | undefined;
function crdGroups(): Set<string> {
  if (groupsCache) return groupsCache;
  const groups = (groupsCache = new Set<string>());
  // Every CRD's spec.group (a 2-space-indented `group:` line): a file may hold
  // several CRDs, of several groups.
  for (const f of listCrdFiles()) {
    for (const m of readText(f).matchAll(/^ {2}group: ["']?([^"'\s]+)["']?\s*$/gm)) groups.add(m[1]);
  }
  return groups;
}

/**
 * The raw openAPIV3Schema of a custom resource from the pinned CRDs: the
 * given version, or else the first served one. Throws if unknown.
 */
export function loadCrdSchema(group: string, kind: string, version?: string): any {
  const crd = findCrd(group, kind);
  if (!crd) throw new Error(`no CRD for ${kind}.${group} in ${CRD_DIR}`);
  const v = version ? crd.versions.find((x) => x.name === version) : crd.versions.find((x) => x.served);
  if (!v) throw new Error(`CRD ${kind}.${group} has no version ${version ?? '(served)'}`);
  return v.schema;
}

// ---------------------------------------------------------------------------
// Validator lookup and cache
// ---------------------------------------------------------------------------

type Lookup = { validate: ValidateFunction } | { error: string };
const validators = new Map<string, Lookup>();

function splitApiVersion(apiVersion: string): [group: string, version: string] {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? ['', apiVersion] : [apiVersion.slice(0, i), apiVersion.slice(i + 1)];
}

function buildValidator(apiVersion: string, kind: string): Lookup {
  const [group, version] = splitApiVersion(apiVersion);
  if (!version) return { error: `invalid apiVersion "${apiVersion}"` };
  const objectMetaFile = path.join(OPENAPI_DIR, openapiFile('', 'v1'));

  if (group !== '' && crdGroups().has(group)) {
    // Cache key first: a hit needs no YAML parsing at all.
    const key = sha256(codeHash(), crdSetHash(), fileHash(objectMetaFile), apiVersion, kind);
    const hit = loadCached(key);
    if (hit) return { validate: hit };

    const crd = findCrd(group, kind);
    if (!crd) return { error: `unknown kind "${kind}" in API group ${group} (no CRD in .tools/crds)` };
    const v = crd.versions.find((x) => x.name === version);
    if (!v) return { error: `${kind}.${group} has no version "${version}" (CRD versions: ${crd.versions.map((x) => x.name).join(', ')})` };
    if (!v.served) return { error: `${kind}.${group}/${version} is not served by the CRD` };
    if (!v.schema) return { error: `${kind}.${group}/${version} has no openAPIV3Schema` };
    const schema = convert(v.schema, 'crd');
    // The API server validates metadata as ObjectMeta regardless of the CRD;
    // extra constraints the CRD puts on it (e.g. name maxLength) still apply.
    const own = v.schema.properties?.metadata;
    const metadata = own?.properties ? { allOf: [{ $ref: objectMetaRef() }, convert(own, 'crd', true)] } : { $ref: objectMetaRef() };
    // Likewise apiVersion and kind are implicit at the root of every custom
    // resource, whether or not the CRD declares them (Istio's do not).
    const typeMeta = { apiVersion: { type: 'string' }, kind: { type: 'string' } };
    schema.properties = { ...typeMeta, ...(schema.properties ?? {}), metadata };
    return { validate: storeCached(key, ajv().compile(schema)) };
  }

  ensureTools(OPENAPI_DIR);
  const docFile = path.join(OPENAPI_DIR, openapiFile(group, version));
  if (!fs.existsSync(docFile)) {
    return { error: `unknown apiVersion "${apiVersion}" (neither a built-in Kubernetes API nor a CRD in .tools/crds)` };
  }
  const key = sha256(codeHash(), fileHash(docFile), apiVersion, kind);
  const hit = loadCached(key);
  if (hit) return { validate: hit };
  const name = coreSchemaName(group, version, kind);
  if (!name) return { error: `unknown kind "${kind}" for apiVersion ${apiVersion}` };
  const doc = k8sDoc(group, version)!;
  return { validate: storeCached(key, ajv().compile({ $ref: `${doc.id}#/components/schemas/${name}` })) };
}

function validatorFor(apiVersion: string, kind: string): Lookup {
  const key = `${apiVersion}\u0000${kind}`;
  let v = validators.get(key);
  if (!v) {
    v = buildValidator(apiVersion, kind);
    validators.set(key, v);
  }
  return v;
}

// ---------------------------------------------------------------------------
// Error formatting
// ---------------------------------------------------------------------------

function formatError(e: ErrorObject): string | undefined {
  const at = e.instancePath || '/';
  switch (e.keyword) {
    case 'additionalProperties':
      return `${at} has unknown field "${(e.params as any).additionalProperty}"`;
    case 'type': {
      const t = (e.params as any).type;
      return `${at} must be ${Array.isArray(t) ? t.join(' or ') : String(t).split(',').join(' or ')}`;
    }
    case 'enum':
      return `${at} must be one of: ${((e.params as any).allowedValues as any[]).map((x) => JSON.stringify(x)).join(', ')}`;
    case 'required':
      return `${at} must have required field "${(e.params as any).missingProperty}"`;
    case 'pattern': {
      const named = PATTERN_NAMES[(e.params as any).pattern];
      return named ? `${at} must ${named}` : `${at} ${e.message}`;
    }
    case 'anyOf':
    case 'oneOf':
      return undefined; // the branch errors say more; see validateManifest
    default:
      return `${at} ${e.message}`;
  }
}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/** Validate one manifest object. Returns [] when valid, else "Kind/name: ..." messages. */
export function validateManifest(obj: any): string[] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    return [`<manifest>: expected an object, got ${obj === null ? 'null' : Array.isArray(obj) ? 'array' : typeof obj}`];
  }
  const kindLabel = typeof obj.kind === 'string' ? obj.kind : '<no kind>';
  const name = obj.metadata?.name ?? obj.metadata?.generateName ?? '<no name>';
  const id = `${kindLabel}/${name}`;
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
    return [`${id}: apiVersion and kind must be strings`];
  }

  const lookup = validatorFor(obj.apiVersion, obj.kind);
  if ('error' in lookup) return [`${id}: ${lookup.error}`];

  const messages: string[] = [];
  if (typeof obj.metadata?.name !== 'string' && typeof obj.metadata?.generateName !== 'string') {
    messages.push('/metadata must have required field "name"');
  }
  if (!lookup.validate(obj)) {
    const errs = lookup.validate.errors ?? [];
    const formatted = errs.map(formatError).filter((m): m is string => m !== undefined);
    // If only anyOf/oneOf summaries came back, they are all we have: keep them.
    messages.push(...(formatted.length > 0 ? formatted : errs.map((e) => `${e.instancePath || '/'} ${e.message}`)));
  }
  return [...new Set(messages)].map((m) => `${id}: ${m}`);
}

/** Validate many manifests (e.g. the output of Testing.synth). */
export function validateAll(objs: any[]): string[] {
  return objs.flatMap((o) => validateManifest(o));
}
