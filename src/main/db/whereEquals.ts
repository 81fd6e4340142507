/**
 * `WHERE a = ? AND b = ?` for the filters a caller actually gave (undefined
 * ones are left out), with their values in order. Column names come from our
 * own code, never from input; values are always bound.
 */
export function whereEquals(filters: Record<string, string | undefined>): {
  sql: string;
  args: string[];
} {
  const clauses: string[] = [];
  const args: string[] = [];
  for (const [column, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    clauses.push(`${column} = ?`);
    args.push(value);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', args };
}
