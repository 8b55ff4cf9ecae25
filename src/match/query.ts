/**
 * The watch query language, parsed into a small tree:
 *
 *   query    := or
 *   or       := and ("OR" and)*
 *   and      := unary (["AND"] unary)*          adjacent terms are ANDed
 *   unary    := ("NOT" | "-") unary | near
 *   near     := primary [("NEAR/n" | "ONEAR/n") primary]
 *   primary  := "(" or ")" | scope ":" primary | "case:" word | filter ":" word | word | "phrase"
 *
 * scope is title, summary, content or article (the item's page, when read); filter is url, feed or lang. A word may end in `*`
 * (a prefix, at least three letters). Operators are upper-case; "and"/"or" in lower case are words.
 *
 * Meanings worth knowing:
 * - `a NEAR/n b`: a and b in the same sentence with at most n words between them (NEAR/0 means
 *   adjacent); ONEAR also wants a first. Sides are terms, phrases or OR-groups of them.
 * - `url:x` holds when the item's link contains x (folded); `feed:x` when the feed id is x.
 * - `lang:fr` holds when the item's language is known and is fr or fr-*; an item of unknown
 *   language fails it (and so passes `-lang:fr`): a filter should not let through what it cannot check.
 * - `case:NATO` is case-sensitive but still ignores accents and width.
 * - `name:"Emmanuel Macron"` matches the name as a `names:` entry does: its spellings in other
 *   scripts and romanizations, its case forms, only capitalised.
 * - `inflect:"security guarantee"` matches the term's inflected forms in the language it is
 *   written in; on a watch with `inflect`, every plain term does.
 */
import { foldKeepCase, foldPhrase, isWordUnit } from './fold.js';
import { inflectedTerm, nameTerms, type FlexTerm } from './flex.js';
import { QueryError } from './query-error.js';

/** `article` is the text of the item's page, when mediawatch read it (fullText). */
export type TextField = 'title' | 'summary' | 'content' | 'article';
export const TEXT_FIELDS: readonly TextField[] = ['title', 'summary', 'content', 'article'];

export interface TermNode {
  kind: 'term';
  /** As written (without quotes, scope or `case:`), reported in hits. */
  text: string;
  /** Folded, words joined by single spaces, without the wildcard star. */
  folded: string;
  wildcard: boolean;
  /** For `case:` terms, the accent-free but case-keeping form the original must equal. */
  caseText: string | null;
  /** null: any text field. */
  fields: TextField[] | null;
  /** For names and inflected terms: how a presearch hit on `folded` (a prefix) is read. */
  flex?: FlexTerm;
}

/** How a watch wants its plain terms read: `inflect` true (language of each term) or a language code. */
export interface QueryOptions {
  inflect?: boolean | string;
}

export type QueryNode =
  | TermNode
  | { kind: 'and'; children: QueryNode[] }
  | { kind: 'or'; children: QueryNode[] }
  | { kind: 'not'; child: QueryNode }
  | { kind: 'near'; left: QueryNode; right: QueryNode; distance: number; ordered: boolean }
  | { kind: 'url'; text: string; folded: string }
  | { kind: 'feed'; text: string }
  | { kind: 'lang'; text: string };

type Token =
  | { type: 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'eof'; col: number; text: string }
  | { type: 'word' | 'phrase'; col: number; text: string }
  | { type: 'near'; col: number; text: string; distance: number; ordered: boolean }
  | { type: 'field'; col: number; text: string; name: FieldName };

type FieldName = TextField | 'url' | 'feed' | 'lang' | 'case' | 'name' | 'inflect';
const isTextField = (name: string): name is TextField => (TEXT_FIELDS as readonly string[]).includes(name);
const FIELD_NAMES = new Set<string>([
  'title',
  'summary',
  'content',
  'article',
  'url',
  'feed',
  'lang',
  'case',
  'name',
  'inflect',
]);
const NEAR = /^(O?)NEAR\/(\d+)$/;
const OPEN_QUOTES = '"\u201c\u201e';
const CLOSE_QUOTES = '"\u201d\u201c';

export function parseQuery(watchId: string, query: string, options: QueryOptions = {}): QueryNode {
  const inflectLang = typeof options.inflect === 'string' ? options.inflect : undefined;
  const fail = (col: number, message: string, hint: string): never => {
    throw new QueryError(watchId, query, col, message, hint);
  };
  const tokens = tokenize(query, fail);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];

  const startsOperand = (t: Token) => ['word', 'phrase', 'lparen', 'not', 'field'].includes(t.type);

  function parseOr(scope: TextField[] | null): QueryNode {
    const children = [parseAnd(scope)];
    while (peek().type === 'or') {
      const op = next();
      if (!startsOperand(peek()))
        fail(op.col, 'OR needs something on its right', 'remove the OR or add a term after it');
      children.push(parseAnd(scope));
    }
    // Trees live as long as their watch: the lists are copied to their exact length.
    return children.length === 1 ? children[0] : { kind: 'or', children: children.slice() };
  }

  function parseAnd(scope: TextField[] | null): QueryNode {
    const children = [parseUnary(scope)];
    for (;;) {
      const t = peek();
      if (t.type === 'and') {
        next();
        if (!startsOperand(peek()))
          fail(t.col, 'AND needs something on its right', 'remove the AND or add a term after it');
        children.push(parseUnary(scope));
      } else if (startsOperand(t)) children.push(parseUnary(scope));
      else break;
    }
    return children.length === 1 ? children[0] : { kind: 'and', children: children.slice() };
  }

  function parseUnary(scope: TextField[] | null): QueryNode {
    if (peek().type === 'not') {
      const op = next();
      if (!startsOperand(peek())) fail(op.col, 'NOT needs something to negate', 'write NOT term, or -term');
      return { kind: 'not', child: parseUnary(scope) };
    }
    return parseNear(scope);
  }

  function parseNear(scope: TextField[] | null): QueryNode {
    const left = parsePrimary(scope);
    const t = peek();
    if (t.type !== 'near') return left;
    next();
    const rightTok = peek();
    if (!['word', 'phrase', 'lparen', 'field'].includes(rightTok.type)) {
      fail(
        t.col,
        `${t.text} needs a term, phrase or (group) on its right`,
        'write e.g. Putin NEAR/5 (talks OR summit)',
      );
    }
    const right = parsePrimary(scope);
    for (const [side, node, col] of [
      ['left', left, t.col],
      ['right', right, rightTok.col],
    ] as const) {
      if (!isProximityOperand(node)) {
        fail(
          col,
          `the ${side} side of ${t.text} must be a term, a phrase or an OR-group of them`,
          'move AND/NOT outside the NEAR',
        );
      }
    }
    if (peek().type === 'near')
      fail(peek().col, 'NEAR cannot be chained', 'use (a NEAR/n b) AND (b NEAR/n c)');
    return { kind: 'near', left, right, distance: t.distance, ordered: t.ordered };
  }

  function parsePrimary(scope: TextField[] | null): QueryNode {
    const t = next();
    switch (t.type) {
      case 'lparen': {
        if (peek().type === 'rparen') fail(t.col, 'empty parentheses', 'put a term between ( and )');
        const inner = parseOr(scope);
        if (peek().type !== 'rparen')
          fail(t.col, 'this parenthesis is never closed', 'add a ) at the end of the group');
        next();
        return inner;
      }
      case 'word':
      case 'phrase':
        return term(t, scope, false);
      case 'field': {
        if (isTextField(t.name)) return parsePrimary([t.name]);
        const v = next();
        if (v.type !== 'word' && v.type !== 'phrase') {
          return fail(
            v.col,
            `${t.name}: needs a word or a "phrase" right after it`,
            `write e.g. ${t.name}:${FIELD_EXAMPLE[t.name]}`,
          );
        }
        if (t.name === 'case') return term(v, scope, true);
        if (t.name === 'name' || t.name === 'inflect') {
          const plain = term(v, scope, false);
          if (plain.wildcard)
            fail(v.col, `${t.name}: takes no wildcard`, `write e.g. ${t.name}:${FIELD_EXAMPLE[t.name]}`);
          if (t.name === 'inflect') return inflectedTerm(v.text, inflectLang, scope);
          const variants = nameTerms(v.text, scope);
          return variants.length === 1 ? variants[0] : { kind: 'or', children: variants };
        }
        if (t.name === 'url') {
          const folded = foldPhrase(v.text);
          if (folded === '') fail(v.col, 'url: needs some text', 'write e.g. url:reuters.com');
          return { kind: 'url', text: v.text, folded };
        }
        if (t.name === 'feed') return { kind: 'feed', text: v.text.toLowerCase() };
        return { kind: 'lang', text: v.text.toLowerCase() };
      }
      case 'rparen':
        return fail(t.col, 'unexpected )', 'remove it, or add the ( it should close');
      case 'eof':
        return fail(
          t.col,
          'the query ends where a term was expected',
          'finish the query with a term or remove the trailing operator',
        );
      default:
        return fail(t.col, `${t.text} needs something on its left`, `put a term before ${t.text}`);
    }
  }

  function term(t: Token, scope: TextField[] | null, caseSensitive: boolean): TermNode {
    const star = t.text.indexOf('*');
    const wildcard = star >= 0;
    if (wildcard && star !== t.text.length - 1) {
      fail(
        t.col + (t.type === 'phrase' ? 1 : 0) + star,
        'a wildcard may only end a word',
        'write e.g. guarantee* (a prefix, then *)',
      );
    }
    const bare = wildcard ? t.text.slice(0, -1) : t.text;
    const folded = foldPhrase(bare);
    if (![...folded].some((ch) => isWordUnit(ch.charCodeAt(0)))) {
      fail(t.col, `"${t.text}" has no letters or digits to match`, 'quote a phrase that contains words');
    }
    if (wildcard) {
      const lastWord = folded.slice(folded.lastIndexOf(' ') + 1);
      let letters = 0;
      for (let i = lastWord.length - 1; i >= 0 && isWordUnit(lastWord.charCodeAt(i)); i--) letters++;
      if (letters < 3 || letters !== lastWord.length) {
        fail(
          t.col,
          'a wildcard needs at least 3 letters right before the *',
          'write e.g. guarantee* rather than gu*',
        );
      }
    }
    if (options.inflect && !wildcard && !caseSensitive) return inflectedTerm(t.text, inflectLang, scope);
    return {
      kind: 'term',
      text: t.text.trim(),
      folded,
      wildcard,
      caseText: caseSensitive ? foldKeepCase(bare) : null,
      fields: scope,
    };
  }

  const root = parseOr(null);
  const rest = peek();
  if (rest.type !== 'eof') {
    fail(
      rest.col,
      rest.type === 'rparen' ? 'unexpected )' : `unexpected ${rest.text}`,
      'remove it, or add the ( it should close',
    );
  }
  return root;
}

const FIELD_EXAMPLE: Record<FieldName, string> = {
  title: 'Macron',
  summary: 'Macron',
  content: 'Macron',
  article: 'Macron',
  url: 'reuters.com',
  feed: 'my-feed',
  lang: 'fr',
  case: 'NATO',
  name: '"Emmanuel Macron"',
  inflect: '"security guarantee"',
};

function isProximityOperand(n: QueryNode): boolean {
  return n.kind === 'term' || (n.kind === 'or' && n.children.every(isProximityOperand));
}

function tokenize(q: string, fail: (col: number, message: string, hint: string) => never): Token[] {
  const out: Token[] = [];
  const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);
  const isBreak = (c: string | undefined) =>
    c === undefined || isSpace(c) || c === '(' || c === ')' || OPEN_QUOTES.includes(c);
  let i = 0;
  while (i < q.length) {
    const c = q[i];
    const col = i + 1;
    if (isSpace(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ type: c === '(' ? 'lparen' : 'rparen', col, text: c });
      i++;
    } else if (OPEN_QUOTES.includes(c)) {
      let j = i + 1;
      while (j < q.length && !CLOSE_QUOTES.includes(q[j])) j++;
      if (j >= q.length)
        fail(col, 'this phrase is never closed', 'add the closing " at the end of the phrase');
      const text = q.slice(i + 1, j);
      if (text.trim() === '') fail(col, 'empty phrase', 'put words between the quotes');
      out.push({ type: 'phrase', col, text });
      i = j + 1;
    } else if (c === '-' && !isBreak(q[i + 1])) {
      out.push({ type: 'not', col, text: '-' });
      i++;
    } else if (c === '-' && (q[i + 1] === '(' || OPEN_QUOTES.includes(q[i + 1] ?? ''))) {
      out.push({ type: 'not', col, text: '-' });
      i++;
    } else {
      let j = i;
      while (j < q.length && !isBreak(q[j])) j++;
      const word = q.slice(i, j);
      const field = /^([A-Za-z]+):/.exec(word);
      if (field && FIELD_NAMES.has(field[1].toLowerCase())) {
        const after = i + field[0].length;
        if (after >= q.length || isSpace(q[after])) {
          fail(
            col,
            `nothing follows ${field[0]}`,
            `write ${field[0]} directly before a word, "phrase" or (group), with no space`,
          );
        }
        out.push({ type: 'field', col, text: field[0], name: field[1].toLowerCase() as FieldName });
        i = after;
        continue;
      }
      const near = NEAR.exec(word);
      if (near) {
        const distance = Number(near[2]);
        out.push({ type: 'near', col, text: word, distance, ordered: near[1] === 'O' });
      } else if (/^O?NEAR\b/.test(word)) {
        fail(col, `${word} is missing its distance`, 'write NEAR/5 (at most 5 words between the two sides)');
      } else if (word === 'AND') out.push({ type: 'and', col, text: word });
      else if (word === 'OR') out.push({ type: 'or', col, text: word });
      else if (word === 'NOT') out.push({ type: 'not', col, text: word });
      else out.push({ type: 'word', col, text: word });
      i = j;
    }
  }
  out.push({ type: 'eof', col: q.length + 1, text: 'end of query' });
  return out;
}

/**
 * Terms of which at least one is present in every item the query matches, chosen to be rare
 * (the presearcher registers the watch under these only); null when no such set exists (NOT-only
 * or filter-only queries) and the watch must be evaluated for every item. Of an AND or a NEAR
 * only the side with the rarest-looking terms is kept, so "Kovalenko NEAR/5 the" is not looked
 * at for every item that says "the".
 */
export function presearchTerms(n: QueryNode): TermNode[] | null {
  switch (n.kind) {
    case 'term':
      return [n];
    case 'or': {
      const all: TermNode[] = [];
      for (const c of n.children) {
        const terms = presearchTerms(c);
        if (terms === null) return null;
        all.push(...terms);
      }
      return all;
    }
    case 'and':
    case 'near': {
      const sides = (n.kind === 'and' ? n.children : [n.left, n.right]).map(presearchTerms);
      let best: TermNode[] | null = null;
      for (const terms of sides)
        if (terms !== null && (best === null || rarity(terms) > rarity(best))) best = terms;
      return best;
    }
    default:
      return null;
  }
}

/**
 * A stand-in for document frequency: a set is as rare as its most common term. Longer words are
 * rarer, and a term its author capitalised is taken for a name, rarer than any common word.
 */
function rarity(terms: TermNode[]): number {
  let min = Infinity;
  for (const t of terms) {
    const words = t.folded.split(' ');
    const name = /^\p{Lu}/u.test(t.text.replace(/^"/, '')) ? 20 : 0;
    // A phrase is as rare as its longest word; a prefix loses the letters the star may add.
    const score = name + Math.max(...words.map((w) => w.length)) + (words.length - 1) - (t.wildcard ? 2 : 0);
    min = Math.min(min, score);
  }
  return min;
}

/** Every term of the query, negated or not. */
export function allTerms(n: QueryNode, out: TermNode[] = []): TermNode[] {
  if (n.kind === 'not') return allTerms(n.child, out);
  if (n.kind === 'term') out.push(n);
  if (n.kind === 'and' || n.kind === 'or') n.children.forEach((c) => allTerms(c, out));
  if (n.kind === 'near') {
    allTerms(n.left, out);
    allTerms(n.right, out);
  }
  return out;
}
