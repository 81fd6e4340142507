import canonicalize from 'canonicalize';

/**
 * Canonical JSON (RFC 8785) for every JSON column the reducers write: the
 * console applies the event object it built, the server the event text it
 * received, and the two must give byte-identical rows.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('cannot store a value that has no JSON form');
  return text;
}
