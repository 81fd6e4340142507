/**
 * When a locked-out user can try again. The back end says so in the error's
 * details; the key name is read defensively because the message alone must
 * still make sense if details are missing.
 */
export function lockedUntil(details: unknown): Date | null {
  if (typeof details !== 'object' || details === null) return null;
  const record = details as Record<string, unknown>;
  for (const key of ['lockedUntil', 'until', 'unlocksAt', 'retryAt']) {
    const value = record[key];
    if (typeof value === 'string' || typeof value === 'number') {
      const date = new Date(value);
      if (!Number.isNaN(date.getTime())) return date;
    }
  }
  return null;
}
