/**
 * Sign-offs (`decision.recorded`): each must name its result and waiver
 * events by their true hashes, cite exactly the evidence those results cite,
 * and carry the digest of that basis. Runs after every line was read.
 */
import { basisDigest, type DecisionBasis } from '../../decisions/binding.ts';
import { isObject } from './bytes.ts';
import type { ReadEvent } from './canonicalLine.ts';
import { Failure } from './failure.ts';
import type { BundleHeader } from './format.ts';
import { parsedBody, type KeptEvent } from './read.ts';

function isBasisEntry(v: unknown): v is DecisionBasis['results'][number] {
  return (
    isObject(v) &&
    typeof v.eventId === 'string' &&
    typeof v.hash === 'string' &&
    typeof v.runId === 'string' &&
    typeof v.terminalId === 'string' &&
    typeof v.itemId === 'string'
  );
}

/**
 * Each sign-off's basis: every result and waiver it names is in the bundle
 * with that hash (a bundle limited by time may leave some out: those are not
 * checked), a named result is a result, the evidence it cites is exactly the
 * evidence those results cite, and its digest is the digest of its basis.
 */
export function checkSignOffs(
  signOffs: readonly KeptEvent[],
  resultBodies: ReadonlyMap<string, KeptEvent>,
  events: readonly ReadEvent[],
  header: BundleHeader,
  sha256Hex: (text: string) => string,
): void {
  if (signOffs.length === 0) return;
  const isWhole = header.from === null && header.to === null;
  const byId = new Map<string, ReadEvent>();
  for (const e of events) if (!byId.has(e.event.id)) byId.set(e.event.id, e);
  for (const signOff of signOffs) {
    const { e } = signOff;
    const id = e.event.id;
    const payload = parsedBody(signOff).payload;
    const basis = isObject(payload) ? payload.basis : undefined;
    if (
      !isObject(payload) ||
      !isObject(basis) ||
      !Array.isArray(basis.results) ||
      !Array.isArray(basis.waivers) ||
      !Array.isArray(basis.evidence) ||
      !basis.results.every(isBasisEntry) ||
      !basis.waivers.every(isBasisEntry) ||
      !basis.evidence.every((h) => typeof h === 'string')
    ) {
      throw new Failure(e.line, `sign-off ${id} has no well-formed basis`);
    }
    const cited = new Set<string>();
    let hasEveryResult = true;
    for (const [list, noun] of [
      [basis.results, 'result'],
      [basis.waivers, 'waiver'],
    ] as const) {
      for (const entry of list) {
        const named = byId.get(entry.eventId);
        if (!named) {
          if (isWhole)
            throw new Failure(
              e.line,
              `sign-off ${id} rests on ${noun} event ${entry.eventId}, which is not in the bundle`,
            );
          hasEveryResult = false;
          continue;
        }
        if (named.event.hash !== entry.hash)
          throw new Failure(
            e.line,
            `sign-off ${id} names ${noun} event ${entry.eventId} with hash ${entry.hash}, but that event's hash is ${named.event.hash}`,
          );
        if (noun === 'result') {
          const result = resultBodies.get(entry.eventId);
          if (!result)
            throw new Failure(
              e.line,
              `sign-off ${id} names event ${entry.eventId} as a checklist result, but it is not one`,
            );
          const evidence = parsedBody(result).payload;
          if (isObject(evidence) && Array.isArray(evidence.evidence))
            for (const h of evidence.evidence) if (typeof h === 'string') cited.add(h);
        }
      }
    }
    if (hasEveryResult) {
      const claimed = new Set(basis.evidence);
      const missing = [...cited].filter((h) => !claimed.has(h));
      const extra = [...claimed].filter((h) => !cited.has(h));
      if (missing.length > 0 || extra.length > 0)
        throw new Failure(
          e.line,
          `sign-off ${id} cites evidence its results do not (${extra.length}) or leaves out evidence they cite (${missing.length})`,
        );
    }
    if (basisDigest(basis as DecisionBasis, sha256Hex) !== payload.digest)
      throw new Failure(e.line, `sign-off ${id}'s digest is not the digest of its basis`);
  }
}
