/**
 * Tables keyed by the `kind` of a discriminated union (strategies, routers): one entry per member, each
 * typed for its member. Every layer that treats members differently keeps such a table, so adding a
 * member is a compile error in each place that must handle it, instead of a silent fallthrough.
 */
export type ByKind<U extends { readonly kind: string }, A extends unknown[], R> = {
  readonly [K in U['kind']]: (member: Extract<U, { readonly kind: K }>, ...args: A) => R
};

export function byKind<U extends { readonly kind: string }, A extends unknown[], R>(table: ByKind<U, A, R>, member: U, ...args: A): R {
  // The table's key and the member's kind agree by construction; TypeScript cannot correlate them.
  return (table[member.kind as U['kind']] as (member: U, ...args: A) => R)(member, ...args);
}
