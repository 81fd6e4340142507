/**
 * The console's update policy (schema in src/shared/updates/policy.ts, where
 * the server validates what it publishes), parsed on the console: bad input
 * is refused and the running version stays.
 */
import { AppError } from '../../shared/errors.ts';
import { consoleUpdatePolicy, type ConsoleUpdatePolicy } from '../../shared/updates/policy.ts';

export {
  DEFAULT_UPDATE_POLICY,
  type ConsoleUpdatePolicy,
  type PolicyScope,
  type UpdateChannel,
} from '../../shared/updates/policy.ts';

/** Parses the catalog's policy; bad input is an `invalid_input` AppError that names each problem. */
export function parseUpdatePolicy(input: unknown): ConsoleUpdatePolicy {
  const parsed = consoleUpdatePolicy.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'policy'}: ${i.message}`);
  throw new AppError(
    'invalid_input',
    `The console update policy in the catalog is not valid (${problems.join('; ')}); the running version stays.`,
    { problems },
  );
}
