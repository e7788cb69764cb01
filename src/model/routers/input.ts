/** The contract between `resolve` and each router's resolver. */

/** What a router resolver gets from `resolve`: names of the objects it routes to. */
export interface RoutingInput {
  readonly app: string;
  readonly namespace: string;
  /** The Ingress a router may read (NGINX). */
  readonly ingressName: string;
  /** The canary strategy's Services, by their written or default names. */
  readonly stableService: string;
  readonly canaryService: string;
  /** The root Service, unless switched off. */
  readonly rootService?: string;
  readonly servicePort: number;
}
