/**
 * What the API server refuses that no single field's schema can say: user and group IDs past its range,
 * annotations past its total size, objects past etcd's size, and an Ingress class given twice, differently.
 */
import { error, joinPath, show, SpecIssue, warning } from '../document/errors';
import { DEFAULTS } from '../document/defaults';
import type { Rule } from './context';

/** apimachinery `IsValidUserID`/`IsValidGroupID`: 0..math.MaxInt32, though the fields are int64. */
const ID_FIELDS = new Set(['runAsUser', 'runAsGroup', 'fsGroup']);
const MAX_ID = 2 ** 31 - 1;
/** apimachinery `TotalAnnotationSizeLimitB`: the keys and values of one object's annotations, in bytes. */
export const MAX_ANNOTATION_BYTES = 256 * 1024;
/** etcd's default request limit (1.5 MiB) bounds a stored object; a spec this large makes objects that large. */
export const MAX_SPEC_BYTES = 1024 * 1024;
/** The annotation maps of a spec that reach an object, beside `metadata.annotations` (on every object). */
const ANNOTATION_MAPS = new Set(['annotations', 'podAnnotations', 'canaryIngressAnnotations']);
const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

function bytes(map: Readonly<Record<string, string>> | undefined): number {
  let n = 0;
  for (const [k, v] of Object.entries(map ?? {})) n += Buffer.byteLength(k) + Buffer.byteLength(v);
  return n;
}

export const apiLimitRules: readonly Rule[] = [
  {
    name: 'id-ranges',
    check({ spec, base }) {
      const issues: SpecIssue[] = [];
      const walk = (value: unknown, at: readonly PropertyKey[]): void => {
        const key = at[at.length - 1];
        if (typeof value === 'number' && typeof key === 'string' && ID_FIELDS.has(key) && value > MAX_ID) {
          issues.push(error(joinPath(base, at), `${value} is larger than ${MAX_ID}: the API server takes user and group IDs 0..${MAX_ID}`));
        } else if (value !== null && typeof value === 'object') {
          for (const [k, v] of Object.entries(value)) walk(v, [...at, Array.isArray(value) ? Number(k) : k]);
        }
      };
      walk(spec, []);
      return issues;
    },
  },
  {
    name: 'annotation-size',
    check({ meta, spec, base }) {
      const issues: SpecIssue[] = [];
      const common = bytes(meta.annotations);
      if (common > MAX_ANNOTATION_BYTES) issues.push(error('metadata.annotations', `are ${common} bytes; the API server takes at most ${MAX_ANNOTATION_BYTES} bytes of annotations on an object`));
      const walk = (value: unknown, at: readonly PropertyKey[]): void => {
        if (value === null || typeof value !== 'object') return;
        for (const [k, v] of Object.entries(value)) {
          const here = [...at, Array.isArray(value) ? Number(k) : k];
          if (ANNOTATION_MAPS.has(k) && v !== null && typeof v === 'object' && !Array.isArray(v)) {
            const total = common + bytes(v as Record<string, string>);
            if (common <= MAX_ANNOTATION_BYTES && total > MAX_ANNOTATION_BYTES) {
              issues.push(error(joinPath(base, here), `with metadata.annotations, are ${total} bytes; the API server takes at most ${MAX_ANNOTATION_BYTES} bytes of annotations on an object`));
            }
          } else {
            walk(v, here);
          }
        }
      };
      walk(spec, []);
      return issues;
    },
  },
  {
    name: 'object-size',
    check({ spec, base }) {
      const size = Buffer.byteLength(JSON.stringify(spec));
      return size > MAX_SPEC_BYTES ? [error(base, `is ${size} bytes as JSON; objects made from it would pass etcd's limit (1.5 MiB a request): at most ${MAX_SPEC_BYTES}`)] : [];
    },
  },
  {
    name: 'ingress-class-annotation',
    check({ spec, path }) {
      const ingress = spec.ingress;
      const annotation = ingress?.annotations?.[INGRESS_CLASS_ANNOTATION];
      if (!ingress || annotation === undefined) return [];
      const at = joinPath(path('ingress.annotations'), [INGRESS_CLASS_ANNOTATION]);
      const className = ingress.className ?? DEFAULTS.ingressClassName;
      // The API server refuses an Ingress whose annotation and ingressClassName differ (networking validation).
      return annotation !== className
        ? [error(at, `${show(annotation)} differs from ingress.className ${show(className)}, which canarykit writes as spec.ingressClassName; the API server refuses the Ingress: set ingress.className and remove the annotation`)]
        : [warning(at, `is deprecated and repeats ingress.className; remove it`)];
    },
  },
];
