/** Warnings about watches that compile but probably do not do what their author wants. */
import type { WatchSpec } from '../contracts/match.js';
import { allTerms, parseQuery, presearchTerms, type QueryNode } from './query.js';
import { formatQueryError, QueryError } from './query-error.js';

const MAX_SENSIBLE_DISTANCE = 20;
const MIN_SENSIBLE_PREFIX = 4;

/** Never throws: a query that does not parse comes back as one warning holding the error. */
export function lintWatch(spec: WatchSpec): string[] {
  if (spec.query === undefined) return [];
  let root: QueryNode;
  try {
    root = parseQuery(spec.id, spec.query);
  } catch (e) {
    if (e instanceof QueryError) return [formatQueryError(e)];
    throw e;
  }
  const warnings: string[] = [];
  for (const t of allTerms(root)) {
    const prefix = t.folded.slice(t.folded.lastIndexOf(' ') + 1);
    if (t.wildcard && prefix.length < MIN_SENSIBLE_PREFIX) {
      warnings.push(
        `watch "${spec.id}": ${t.text} is a short prefix and will match many unrelated words; use at least ${MIN_SENSIBLE_PREFIX} letters`,
      );
    }
  }
  visitNear(root, (distance, text) => {
    if (distance > MAX_SENSIBLE_DISTANCE) {
      warnings.push(
        `watch "${spec.id}": ${text} spans more words than most sentences hold; keep the distance at ${MAX_SENSIBLE_DISTANCE} or below`,
      );
    }
  });
  if (presearchTerms(root) === null) {
    warnings.push(
      `watch "${spec.id}": the query can match items that contain none of its terms (NOT-only or filter-only); it will be checked against every item`,
    );
  }
  return warnings;
}

function visitNear(n: QueryNode, see: (distance: number, text: string) => void): void {
  switch (n.kind) {
    case 'near':
      see(n.distance, `${n.ordered ? 'ONEAR' : 'NEAR'}/${n.distance}`);
      break;
    case 'and':
    case 'or':
      n.children.forEach((c) => visitNear(c, see));
      break;
    case 'not':
      visitNear(n.child, see);
      break;
    default:
      break;
  }
}
