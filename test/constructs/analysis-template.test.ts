/** AnalysisTemplate constructs: a ClusterAnalysisTemplate is cluster-scoped, so it carries no namespace. */
import { synthSpec, specYaml } from '../support/specs';

test('a ClusterAnalysisTemplate has no metadata.namespace (the chart namespace is not added to it)', () => {
  const objects = synthSpec(specYaml(`  prometheus: {address: "http://prometheus:9090"}
  canary:
    steps:
      - setWeight: 10
      - analysis: {templates: [t]}
  analysisTemplates:
    - name: t
      clusterScoped: true
      metrics:
        - name: m
          successCondition: result == 1
          provider: {prometheus: {query: "scalar(up)"}}
`));
  const cat = objects.find((o) => o.kind === 'ClusterAnalysisTemplate')!;
  expect(cat.metadata).toEqual(expect.objectContaining({ name: 'shop-web-t' }));
  expect(cat.metadata).not.toHaveProperty('namespace');
  // Every namespaced object keeps its namespace.
  expect(objects.filter((o) => o.kind !== 'ClusterAnalysisTemplate').map((o) => o.metadata.namespace)).toEqual(objects.filter((o) => o.kind !== 'ClusterAnalysisTemplate').map(() => 'shop'));
});
