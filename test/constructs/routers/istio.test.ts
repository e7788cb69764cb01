/**
 * The Istio router's objects: the Rollout's trafficRouting.istio, the VirtualService and DestinationRule
 * canarykit creates (validated against the real Istio CRDs), what the controller owns in them, and
 * referring to existing ones instead.
 */
import { controllerOwnedFields } from '../../../src/model/controller-owned';
import { synthDocuments } from '../../../src/constructs/synth';
import { crossReferenceProblems } from '../../support/cross-refs';
import { one } from '../../support/examples';
import { validateAll } from '../../support/schema';
import { loadSpec } from '../../support/specs';
import { specYaml } from '../../support/specs';

function synth(istio: string, extra = '') {
  const [app] = synthDocuments([loadSpec(specYaml(`  trafficRouting:\n    istio: ${istio}\n  canary: {weights: [20, 50]}\n${extra}`))]);
  return app;
}

const port = { number: 80 };

describe('Istio router', () => {
  test('host-level (istio: {}): a VirtualService to the stable and canary Services, weights 100/0, before the Rollout', () => {
    const app = synth('{}');
    expect(validateAll([...app.objects])).toEqual([]);
    expect(crossReferenceProblems(app.objects)).toEqual([]);
    const vs = one(app.objects, 'VirtualService');
    expect(vs.apiVersion).toBe('networking.istio.io/v1');
    expect(vs.metadata).toMatchObject({ name: 'web', namespace: 'shop', annotations: { 'argocd.argoproj.io/sync-wave': '-1' } });
    expect(vs.spec).toEqual({
      hosts: ['web'],
      http: [{ name: 'primary', route: [{ destination: { host: 'web-stable', port }, weight: 100 }, { destination: { host: 'web-canary', port }, weight: 0 }] }],
    });
    expect(app.objects.filter((o) => o.kind === 'DestinationRule')).toEqual([]);
    expect(one(app.objects, 'Rollout').spec.strategy.canary.trafficRouting).toEqual({ istio: { virtualService: { name: 'web', routes: ['primary'] } } });
    expect(app.objects.map((o) => o.kind).indexOf('VirtualService')).toBeLessThan(app.objects.map((o) => o.kind).indexOf('Rollout'));
    expect(controllerOwnedFields(app.model).filter((f) => f.group === 'networking.istio.io')).toEqual([
      { group: 'networking.istio.io', kind: 'VirtualService', name: 'web', jsonPointers: ['/spec/http'], applyFields: ['spec.http'] },
    ]);
  });

  test('subset-level: a DestinationRule with unlabelled subsets of the root Service, routed by subset', () => {
    const app = synth('{virtualService: {name: web-vs, routes: [main], gateways: [istio-system/public, mesh], hosts: [web.example.com]}, destinationRule: {name: web-dr, canarySubsetName: next}}');
    expect(validateAll([...app.objects])).toEqual([]);
    expect(crossReferenceProblems(app.objects)).toEqual([]);
    expect(one(app.objects, 'VirtualService', 'web-vs').spec).toEqual({
      gateways: ['istio-system/public', 'mesh'],
      hosts: ['web.example.com'],
      http: [{ name: 'main', route: [{ destination: { host: 'web', subset: 'stable', port }, weight: 100 }, { destination: { host: 'web', subset: 'next', port }, weight: 0 }] }],
    });
    const dr = one(app.objects, 'DestinationRule', 'web-dr');
    expect(dr.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-1' });
    expect(dr.spec).toEqual({ host: 'web', subsets: [{ name: 'next' }, { name: 'stable' }] });
    expect(one(app.objects, 'Rollout').spec.strategy.canary.trafficRouting).toEqual({
      istio: { virtualService: { name: 'web-vs', routes: ['main'] }, destinationRule: { name: 'web-dr', canarySubsetName: 'next', stableSubsetName: 'stable' } },
    });
    expect(controllerOwnedFields(app.model).filter((f) => f.group === 'networking.istio.io')).toEqual([
      { group: 'networking.istio.io', kind: 'VirtualService', name: 'web-vs', jsonPointers: ['/spec/http'], applyFields: ['spec.http'] },
      { group: 'networking.istio.io', kind: 'DestinationRule', name: 'web-dr', jsonPointers: ['/spec/subsets'], applyFields: ['spec.subsets'] },
    ]);
  });

  test('existing objects: the Rollout refers to them by name, canarykit creates and owns nothing of them', () => {
    const app = synth('{virtualService: {create: false, name: shared}, destinationRule: {create: false, name: shared-dr}}');
    expect(validateAll([...app.objects])).toEqual([]);
    expect(app.objects.filter((o) => o.kind === 'VirtualService' || o.kind === 'DestinationRule')).toEqual([]);
    // Without routes the controller weights the VirtualService's only route (or its first unnamed one).
    expect(one(app.objects, 'Rollout').spec.strategy.canary.trafficRouting).toEqual({
      istio: { virtualService: { name: 'shared' }, destinationRule: { name: 'shared-dr', canarySubsetName: 'canary', stableSubsetName: 'stable' } },
    });
    expect(controllerOwnedFields(app.model).filter((f) => f.group === 'networking.istio.io')).toEqual([]);
  });

  test('host-level without the root Service: the hosts default to the stable Service', () => {
    const app = synth('{}', '  services: {root: false}\n');
    expect(one(app.objects, 'VirtualService').spec.hosts).toEqual(['web-stable']);
  });
});
