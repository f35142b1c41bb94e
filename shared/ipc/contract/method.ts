import { z } from 'zod';

/**
 * One method of the IPC contract: the zod schema its input must pass and the
 * type of its result. The router refuses any method not in the contract, and
 * parses every input before a service runs.
 */
export interface MethodSpec<Input extends z.ZodType, Result> {
  input: Input;
  /** Type-level only: carries the result type, never set at run time. */
  readonly result?: Result;
}

export function method<Result>() {
  return <Input extends z.ZodType>(input: Input): MethodSpec<Input, Result> => ({ input });
}

export const noInput = z.object({}).strict();
/** The random ids the main process gives its questions, plans and jobs. */
export const issuedId = z.string().regex(/^[0-9a-f]{32}$/);
