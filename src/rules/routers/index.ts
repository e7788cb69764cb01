/** Each router's rules, run only when the spec chooses that router; the table asks for every router. */
import type { ResolvedRouting } from '../../model/model';
import { error } from '../../document/errors';
import type { Rule } from '../context';
import { gatewayApiRules } from './gateway-api';
import { nginxRules } from './nginx';

const ROUTERS: { readonly [K in ResolvedRouting['kind']]: readonly Rule[] } = {
  none: [],
  nginx: nginxRules,
  gatewayAPI: gatewayApiRules,
};

/** A spec chooses one router (the keys of trafficRouting other than managedRoutes). */
const oneRouter: Rule = {
  name: 'one-router',
  *check({ spec, path }) {
    const chosen = Object.keys(spec.trafficRouting ?? {}).filter((k) => k !== 'managedRoutes');
    if (chosen.length > 1) yield error(path('trafficRouting'), `sets ${chosen.join(' and ')}; choose one router`);
  },
};

/** The rules of every router, each guarded by the spec's choice of router. */
export const routerRules: readonly Rule[] = [oneRouter, ...Object.entries(ROUTERS).flatMap(([kind, rules]) => rules.map((rule): Rule => ({
  name: rule.name,
  check: (ctx) => (ctx.model.routing.kind === kind ? rule.check(ctx) : []),
})))];
