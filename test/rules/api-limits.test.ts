/** API server limits as rules (src/rules/api-limits.ts): what it would refuse is a spec error first. */
import { specErrors, specIssues, specDocument, specYaml } from '../support/specs';

const minimal = { image: { repository: 'example/web', tag: '1.0.0' }, canary: { weights: [50] } };

describe('API server limits', () => {
  test('user and group IDs: 0..2147483647, though the fields are int64', () => {
    expect(specErrors(specYaml('  canary: {weights: [50]}\n  security: {runAsUser: 4294967296, runAsGroup: 2147483647, fsGroup: 2147483648}\n'))).toEqual([
      'web.yaml: web: spec.security.fsGroup: 2147483648 is larger than 2147483647: the API server takes user and group IDs 0..2147483647',
      'web.yaml: web: spec.security.runAsUser: 4294967296 is larger than 2147483647: the API server takes user and group IDs 0..2147483647',
    ]);
  });

  test('annotations: at most 256 KiB on an object, the ones on every object included', () => {
    const big = 'x'.repeat(200 * 1024);
    expect(specIssues(specDocument({ ...minimal, podAnnotations: { a: big, b: big } }))).toEqual([
      `spec.podAnnotations: with metadata.annotations, are ${2 * (200 * 1024 + 1)} bytes; the API server takes at most 262144 bytes of annotations on an object`,
    ]);
    const doc = specDocument({ ...minimal, podAnnotations: { a: big } });
    doc.metadata.annotations = { note: big };
    expect(specIssues(doc)).toEqual([`spec.podAnnotations: with metadata.annotations, are ${2 * (200 * 1024 + 1) + 3} bytes; the API server takes at most 262144 bytes of annotations on an object`]);
    doc.metadata.annotations = { note: 'x'.repeat(50 * 1024 * 1024) };
    expect(specIssues(doc)).toEqual([`metadata.annotations: are ${50 * 1024 * 1024 + 4} bytes; the API server takes at most 262144 bytes of annotations on an object`]);
    expect(specIssues(specDocument({ ...minimal, podAnnotations: { a: 'x'.repeat(250 * 1024) } }))).toEqual([]);
  });

  test('a spec larger than 1 MiB makes objects etcd refuses', () => {
    const header = (i: number) => ({ key: `X-H${i}`, value: 'v'.repeat(100 * 1024) });
    const doc = specDocument({ ...minimal, analysisTemplates: [{ name: 't', metrics: [{ name: 'm', successCondition: 'result == 1', provider: { web: { url: 'http://x/', jsonPath: '{$.a}', headers: Array.from({ length: 11 }, (_, i) => header(i)) } } }] }] });
    expect(specIssues(doc)).toEqual([expect.stringMatching(/^spec: is \d+ bytes as JSON; objects made from it would pass etcd's limit \(1\.5 MiB a request\): at most 1048576$/)]);
  });

  test('kubernetes.io/ingress.class different from className: the API server refuses the Ingress', () => {
    const ingress = (annotations: string, className = '') => specYaml(`  canary: {weights: [50]}\n  ingress: {host: web.example.com${className}, annotations: {${annotations}}}\n`);
    expect(specErrors(ingress('kubernetes.io/ingress.class: traefik'))).toEqual([
      'web.yaml: web: spec.ingress.annotations["kubernetes.io/ingress.class"]: "traefik" differs from ingress.className "nginx", which canarykit writes as spec.ingressClassName; the API server refuses the Ingress: set ingress.className and remove the annotation',
    ]);
    expect(specErrors(ingress('kubernetes.io/ingress.class: traefik', ', className: traefik'))).toEqual([]);
    const doc = specDocument({ ...minimal, ingress: { host: 'web.example.com', annotations: { 'kubernetes.io/ingress.class': 'nginx' } } });
    expect(specIssues(doc, 'warning')).toEqual(['warning: spec.ingress.annotations["kubernetes.io/ingress.class"]: is deprecated and repeats ingress.className; remove it']);
  });
});
