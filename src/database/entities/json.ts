/**
 * JSONB column shape. `any` rather than `unknown` on purpose: TypeORM's deep-partial update types
 * reject `unknown` members, and these columns hold provider-shaped objects validated at the edges.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonObject = Record<string, any>;
