/**
 * Istio: what the controller's VirtualService validation (rollout/trafficrouting/istio) would refuse once
 * the Rollout is applied, checked on the VirtualService canarykit creates; and what the spec cannot mean.
 * An existing VirtualService or DestinationRule is not visible at synth time: the controller checks it.
 */
import { error, show } from '../../document/errors';
import { DEFAULTS } from '../../document/defaults';
import type { ResolvedIstioRouting } from '../../model/model';
import { virtualServiceProblems } from '../../model/routers/istio';
import type { Rule } from '../context';

export const istioRules: readonly Rule[] = [
  {
    name: 'istio-virtual-service',
    *check({ spec, path, model }) {
      const vs = spec.trafficRouting?.istio?.virtualService ?? {};
      const at = (field: string) => path(`trafficRouting.istio.virtualService${field}`);
      if (vs.create === false) {
        for (const key of ['hosts', 'gateways'] as const) {
          if (vs[key] !== undefined) yield error(at(`.${key}`), 'applies only to a VirtualService canarykit creates; with create: false, set it in your VirtualService');
        }
        return;
      }
      if (vs.routes && vs.routes.length > 1) {
        yield error(at('.routes'), `lists ${vs.routes.length} routes, but the VirtualService canarykit creates has one http route, named ${show(vs.routes[0])}; to weight several routes, refer to your own VirtualService (create: false)`);
        return;
      }
      // Blue-green takes no router (blue-green-fields-only says so).
      if (model.strategy.kind !== 'canary') return;
      const routing = model.routing as ResolvedIstioRouting;
      const services = { stable: model.strategy.stableService, canary: model.strategy.canaryService };
      for (const problem of virtualServiceProblems(routing, services)) yield error(at(''), `the controller would refuse the VirtualService canarykit creates: ${problem}`);
    },
  },
  {
    name: 'istio-destination-rule',
    *check({ spec, path }) {
      const istio = spec.trafficRouting?.istio ?? {};
      const dr = istio.destinationRule;
      if (!dr) return;
      const canary = dr.canarySubsetName ?? DEFAULTS.istio.canarySubsetName;
      const stable = dr.stableSubsetName ?? DEFAULTS.istio.stableSubsetName;
      if (canary === stable) {
        yield error(path('trafficRouting.istio.destinationRule.canarySubsetName'), `${show(canary)} is also the stableSubsetName; the controller points each subset at one ReplicaSet, so they must differ`);
      }
      const creates = dr.create !== false || istio.virtualService?.create !== false;
      if (spec.services?.root === false && creates) {
        yield error(path('trafficRouting.istio.destinationRule'), 'needs the root Service (services.root is false): the subsets divide one host that selects every pod');
      }
    },
  },
];
