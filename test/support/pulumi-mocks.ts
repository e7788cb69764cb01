/**
 * Pulumi's mock engine for the component tests: the mocks go in before src/pulumi (and with it any
 * resource class) is loaded, as Pulumi requires; every registration is recorded in `registered`.
 */
import * as pulumi from '@pulumi/pulumi';

export type PulumiModule = typeof import('../../src/pulumi');

export interface PulumiMocks {
  /** Every resource registered so far, in order; tests empty it (`length = 0`) where they start counting. */
  readonly registered: pulumi.runtime.MockResourceArgs[];
  /** canarykit/pulumi, loaded after the mocks (in `beforeAll`). */
  readonly mod: () => PulumiModule;
}

/** Installs the mocks in `beforeAll` and loads canarykit/pulumi after them. */
export function usePulumiMocks(): PulumiMocks {
  const registered: pulumi.runtime.MockResourceArgs[] = [];
  let mod: PulumiModule | undefined;
  beforeAll(async () => {
    await pulumi.runtime.setMocks({
      newResource: (args) => {
        registered.push(args);
        return { id: args.custom ? `${args.name}-id` : undefined, state: args.inputs };
      },
      call: (args) => args.inputs,
    }, 'canarykit', 'test', false);
    mod = await import('../../src/pulumi');
  });
  return { registered, mod: () => mod! };
}
