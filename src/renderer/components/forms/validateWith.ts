/**
 * Mantine form validation from the contract's own zod schemas: the form's
 * values become the input the call would send, the schema judges it, and
 * each broken rule is shown at its field in the words the back end would
 * refuse with (translated by the rule's code). Nothing is sent while a rule
 * is broken.
 */
import type { FormErrors } from '@mantine/form';
import type { z } from 'zod';
import { checkRules } from '#shared/contract/rules.ts';
import { ruleText } from '../../api/errorText.ts';

/** Where a broken rule of no field of this form is shown: the form's own alert. */
export const FORM_ERROR = '_form';

/**
 * `toInput` builds the call's input from the form's values; `fieldOf` names
 * the form field an input path belongs to (null: none, shown as FORM_ERROR).
 */
export function validateWith<Values>(
  schema: z.ZodType,
  toInput: (values: Values) => unknown,
  fieldOf: (path: readonly string[]) => string | null = (path) => path.join('.'),
): (values: Values) => FormErrors {
  return (values) => {
    const errors: FormErrors = {};
    for (const issue of checkRules(schema, toInput(values))) {
      const field = fieldOf(issue.path) ?? FORM_ERROR;
      errors[field] ??= ruleText(issue);
    }
    return errors;
  };
}
