/**
 * The back end's refusals in the console's language. Each carries a stable
 * code: a rule of the contract's schemas, a deployment or change request
 * refusal, a signing problem, or the error's own code. In English the back
 * end's own words are shown; in another language the translation of the
 * code, and the English words whenever the code has none (messages that name
 * catalog content, terminals or people keep the back end's English).
 */
import type { TransferableError } from '#shared/errors.ts';
import { currentLanguage, i18next, t } from '../i18n/index.ts';

/** A code with its English words and the values they name. */
export type CodedWords = {
  code: string;
  message: string;
  params?: Readonly<Record<string, string | number>>;
};

/** Values that are themselves codes (an action, a role) in the console's words. */
function localParams(params: CodedWords['params']): Record<string, string | number> {
  const out: Record<string, string | number> = { ...params };
  const { action, role } = out;
  if (typeof action === 'string' && i18next.exists(`errors:purpose.${action}`))
    out.action = i18next.t(`errors:purpose.${action}` as 'errors:purpose.abort');
  if (typeof role === 'string' && i18next.exists(`domain:role.${role}`))
    out.role = i18next.t(`domain:role.${role}` as 'domain:role.manager');
  return out;
}

function translated(key: string, words: CodedWords): string {
  if (currentLanguage() === 'en' || !i18next.exists(key)) return words.message;
  const text = i18next.t(key, { ...localParams(words.params), defaultValue: words.message });
  // A value the words need but the refusal did not carry: the English says it whole.
  return text.includes('{{') ? words.message : text;
}

/** A broken rule of the contract's schemas (a form shows it before sending; the back end refuses with it). */
export function ruleText(issue: CodedWords): string {
  return translated(`errors:rule.${issue.code}`, issue);
}

/** Why a go / no-go decision cannot be signed. */
export function signingText(problem: CodedWords): string {
  return translated(`errors:signing.${problem.code}`, problem);
}

type Details = {
  issues?: Array<Partial<CodedWords>>;
  refusal?: unknown;
  problems?: unknown;
};

/** A back-end error in the console's language. */
export function errorText(error: TransferableError): string {
  const details = (error.details ?? {}) as Details;
  const issue = details.issues?.[0];
  // The error's own message: for a rule of ours it is the rule's words, for any other issue it says where.
  if (issue?.code !== undefined)
    return ruleText({ code: issue.code, message: error.message, params: issue.params });
  if (typeof details.refusal === 'string')
    return translated(`errors:refusal.${details.refusal}`, {
      code: details.refusal,
      message: error.message,
    });
  const problem: unknown = Array.isArray(details.problems)
    ? (details.problems as unknown[])[0]
    : undefined;
  if (typeof problem === 'string') {
    const text = signingText({ code: problem, message: error.message });
    return text === error.message ? text : `${text} ${t('errors:nothingSigned')}`;
  }
  return translated(`errors:code.${error.code}`, error);
}
