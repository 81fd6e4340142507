/**
 * Rules a person's input must meet, written once in the contract's zod
 * schemas and read on both sides: the back end refuses with the rule's code
 * and English words, and the console's forms show the same words before
 * anything is sent, translated by the code.
 */
import type { z } from 'zod';

export type RuleParams = Record<string, string | number>;

/** One broken rule: where, a stable code, the English words, and what fills them in in another language. */
export type RuleIssue = { path: string[]; code: string; message: string; params: RuleParams };

/** Options for zod's `.refine()` that give the issue a stable code (and the values its words name). */
export function rule(
  code: string,
  message: string,
  params: RuleParams = {},
): { message: string; params: RuleParams } {
  return { message, params: { ...params, code } };
}

/** A zod issue as it crosses the boundary: a rule's own code, else zod's (`too_big`, `invalid_type`, …). */
export function ruleIssue(issue: z.core.$ZodIssue): RuleIssue {
  const path = issue.path.map(String);
  if (issue.code === 'custom') {
    const { code, ...params } = (issue.params ?? {}) as Record<string, string | number>;
    if (typeof code === 'string') return { path, code, message: issue.message, params };
  }
  const params: RuleParams = {};
  if ('maximum' in issue && typeof issue.maximum === 'number') params.maximum = issue.maximum;
  if ('minimum' in issue && typeof issue.minimum === 'number') params.minimum = issue.minimum;
  return { path, code: issue.code, message: issue.message, params };
}

/** Is this issue one of our rules (its words are a whole sentence for the person at the counter)? */
export function isOwnRule(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'custom' && typeof issue.params?.code === 'string';
}

/** Every rule `value` breaks, in the schema's order; empty when it would be accepted. */
export function checkRules(schema: z.ZodType, value: unknown): RuleIssue[] {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map(ruleIssue);
}
