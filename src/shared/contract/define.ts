import type { z } from 'zod';
import type { Role } from '../domain/roles.ts';

/**
 * Who may make a call. `public` works signed out (sign-in screen, first run);
 * `signedIn` needs any session; a role list needs one of those roles.
 */
export type Access = 'public' | 'signedIn' | readonly Role[];

export type CallSpec<I extends z.ZodType, O> = {
  input: I;
  access: Access;
  /** Phantom: carries the output type to the client; never set at run time. */
  output?: O;
};

/**
 * Declares one call. Curried so the output type is written and the input
 * type inferred: `call<Page>()({ input: z.object({...}).strict(), access })`.
 */
export function call<O>() {
  return <I extends z.ZodType>(spec: { input: I; access: Access }): CallSpec<I, O> => spec;
}

export type InputOf<C> = C extends CallSpec<infer I, unknown> ? z.input<I> : never;
export type ParsedInputOf<C> = C extends CallSpec<infer I, unknown> ? z.output<I> : never;
export type OutputOf<C> = C extends CallSpec<z.ZodType, infer O> ? O : never;
