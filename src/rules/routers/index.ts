/** Each router's rules, run only when the spec chooses that router; the table asks for every router. */
import type { ResolvedRouting } from '../../model/model';
import type { Rule } from '../context';
import { istioRules } from './istio';
import { gatewayApiRules } from './gateway-api';
import { nginxRules } from './nginx';

const ROUTERS: { readonly [K in ResolvedRouting['kind']]: readonly Rule[] } = {
  none: [],
  nginx: nginxRules,
  istio: istioRules,
  gatewayAPI: gatewayApiRules,
};

/** The rules of every router, each guarded by the spec's choice of router. */
export const routerRules: readonly Rule[] = Object.entries(ROUTERS).flatMap(([kind, rules]) => rules.map((rule): Rule => ({
  name: rule.name,
  check: (ctx) => (ctx.model.routing.kind === kind ? rule.check(ctx) : []),
})));
