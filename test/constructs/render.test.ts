/**
 * canarykit renders its own objects without cdk8s' token resolution (src/constructs/render.ts). These
 * tests hold it to what cdk8s itself renders from the same props, and keep cdk8s' escape hatches working.
 */
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { resolve } from '../../src/model/resolve';
import { ResolvedCanaryApp } from '../../src/constructs/canary-app';
import { plainObject } from '../../src/constructs/render';
import { k8s } from 'cdk8s-plus-27';
import { exampleDocuments, one } from '../support/examples';
import { specYaml, synthSpec } from '../support/specs';
import { validateAll } from '../support/schema';

function exampleCharts(): { name: string; chart: Chart; app: ResolvedCanaryApp }[] {
  return exampleDocuments().map((document) => {
    const model = resolve(document.metadata, document.spec);
    const chart = new Chart(new App(), model.name, { namespace: model.namespace, disableResourceNameHashes: true });
    return { name: model.name, chart, app: new ResolvedCanaryApp(chart, model.name, { model }) };
  });
}

describe('rendering without token resolution', () => {
  test('every object of every example renders exactly as cdk8s renders its props, key order included', () => {
    let compared = 0;
    for (const { chart } of exampleCharts()) {
      for (const obj of chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)) {
        const ours = obj.toJson();
        // The generated class's own toJson: cdk8s resolves, sanitizes and converts the same props.
        const theirs = Object.getPrototypeOf(obj).toJson.call(obj);
        // What canarykit adds as plain JSON after conversion (pod templates) is not in the props.
        if (obj.kind === 'Rollout' && !ours.spec.workloadRef) {
          expect(ours.spec.template.spec.containers.length).toBeGreaterThan(0);
          delete ours.spec.template;
        }
        if (obj.kind === 'VirtualService') {
          // Hosts and gateways are set whole, as plain JSON, so a Helm value can stand for either list.
          expect(ours.spec.hosts.length).toBeGreaterThan(0);
          delete ours.spec.hosts;
          delete ours.spec.gateways;
        }
        if (obj.kind !== 'HorizontalPodAutoscaler') ours.spec?.metrics?.forEach((m: any, i: number) => {
          if (m.provider.web) expect(m.provider.web.jsonBody).toBeUndefined();
          if (m.provider.job) {
            expect(m.provider.job.spec.template.spec.containers).toHaveLength(1);
            m.provider.job.spec = theirs.spec.metrics[i].provider.job.spec;
          }
        });
        expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(30);
  });

  test('maps in any key order, int-or-string wrappers and empty values render as cdk8s renders them', () => {
    const chart = new Chart(new App(), 'c');
    const svc = plainObject(k8s.KubeService, k8s.toJson_KubeServiceProps, chart, 'svc', {
      metadata: { name: 'x', labels: { 'z.io/b': '1', 'a.io/a': '2' }, annotations: undefined },
      spec: {
        selector: { zone: 'eu', app: 'x' },
        ports: [{ port: 80, targetPort: k8s.IntOrString.fromString('http') }, { port: 81, targetPort: k8s.IntOrString.fromNumber(8081) }],
        externalIPs: [],
        clusterIp: undefined,
      },
    });
    const ours = svc.toJson();
    expect(JSON.stringify(ours)).toBe(JSON.stringify(Object.getPrototypeOf(svc).toJson.call(svc)));
    expect(Object.keys(ours.spec.selector)).toEqual(['app', 'zone']);
    expect(ours.spec.ports[1].targetPort).toBe(8081);
  });

  test('a web metric jsonBody is emitted as written, nulls included, and passes the CRD schema', () => {
    const objects = synthSpec(specYaml(`  canary:
    steps:
      - setWeight: 50
      - analysis: {templates: [check], args: [{name: hash, valueFrom: {podTemplateHashValue: Latest}}]}
  analysisTemplates:
    - name: check
      args: [{name: hash}]
      metrics:
        - name: verdict
          successCondition: result == "ok"
          provider:
            web:
              url: http://verdict.shop/check
              method: POST
              jsonBody: {hash: "{{args.hash}}", window: {minutes: 5}, labels: [a, null], note: null}
              jsonPath: "{$.verdict}"
`));
    const web = one(objects, 'AnalysisTemplate').spec.metrics[0].provider.web;
    expect(web.jsonBody).toEqual({ hash: '{{args.hash}}', labels: ['a', null], note: null, window: { minutes: 5 } });
    expect(web.body).toBeUndefined();
    expect(validateAll([...objects])).toEqual([]);
  });

  test('JSON patches apply to the finished manifest, pod template included; later metadata shows up', () => {
    const [{ app }] = exampleCharts();
    const rollout = app.rollout.apiObject;
    rollout.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'critical'), JsonPatch.replace('/spec/replicas', 7));
    rollout.metadata.addLabel('team', 'payments');
    const json = rollout.toJson();
    expect(json.spec.template.spec.priorityClassName).toBe('critical');
    expect(json.spec.replicas).toBe(7);
    expect(json.metadata.labels.team).toBe('payments');
    expect(Object.keys(json).slice(0, 3)).toEqual(['apiVersion', 'kind', 'metadata']);
  });
});
