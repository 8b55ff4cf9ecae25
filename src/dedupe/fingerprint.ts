/**
 * A story fingerprint: MinHash over word features of the title and lead, cut into LSH bands. Two
 * items are the same story when enough of their bands are equal, so a store can find candidates by
 * exact band lookups instead of comparing against every recent item.
 *
 * MinHash rather than SimHash: copies of one story across outlets typically share only half to
 * two-thirds of their words (new headline, rewritten first sentence, cut paragraphs), where SimHash
 * distances of same and different stories overlap; the band-vote rule separates them on the labeled
 * set in test/fixtures/stories.
 *
 * It runs for every item, so words are hashed where they stand in the cleaned text and features are
 * 32-bit numbers: no string per word or word pair, no Set of strings, no hex strings per band.
 */
import { fmix32, hash64, mix32 } from './hash64.js';

/** Rows per band: a band matches with probability ≈ J^ROWS for Jaccard similarity J. */
export const ROWS = 2;
export const BANDS = 32;
/** Equal bands needed to call two items one story. */
export const MIN_VOTES = 3;
/** Words of the body used after the title: the lead carries the story, later paragraphs drift. */
export const LEAD_WORDS = 90;
/** Characters of the body cleaned to find them: room for LEAD_WORDS words among stopwords and boilerplate. */
const LEAD_CHARS = 8_000;

const HASHES = ROWS * BANDS;

export interface Fingerprint {
  /** Two 32-bit words per band: bands[2*b] (high) and bands[2*b+1] (low); equal pairs mean an equal band. */
  bands: Uint32Array;
  /** How many distinct features went in; a fingerprint of too few says little. */
  features: number;
}

/** Boilerplate phrases, matched case-insensitively. */
const BOILERPLATE: RegExp[] = [
  /\bback to top(?: button)?\b/,
  /\bskip to (?:main )?content\b/,
  /\b(?:advertisement|sponsored content|story continues below(?: advertisement)?)\b/,
  /\bshare (?:this|on) (?:article|story|facebook|twitter|x|whatsapp|linkedin|email)\b/,
  /\b(?:click here to )?(?:read|see) (?:more|the full story|full article)\b/,
  /\bsign up for (?:our|the) [\w ]{0,40}?newsletters?\b/,
  /\bsubscribe (?:now|today|to our newsletter)\b/,
  /\bcopyright \d{4}[^.]*\.|\ball rights reserved\.?/,
  /\bthis (?:story|article) (?:has been|was) updated[^.]*\.?/,
  /\b(?:reporting|writing|editing|additional reporting) by [^;.]*[;.]?/,
  /\(\s*(?:reuters|ap|afp|dpa|bloomberg|upi|ians|pti|ansa|efe|anadolu)\s*\)/,
  /\b(?:the )?associated press\b|\bap photo\b/,
];

// "BRUSSELS (Reuters) -", "WASHINGTON, March 3 (AP) —", "KYIV, Ukraine —" at the start of a lead.
const DATELINE =
  /^\s*[A-Z][A-Z.'’ -]{2,}(?:,\s*[A-Z][\w.]*(?:\s+\d{1,2})?)?\s*(?:\([^)]{1,20}\))?\s*[-—–:]\s+/;
const WIRE_PREFIX = /^\s*(?:AP|AFP|Reuters|dpa|UPI)\s*[-—–:]\s+/i;

const STOPWORDS = new Set(
  (
    'a an and are as at be been but by for from had has have he her his i in into is it its of on or ' +
    'our she said says that the their them they this to was were which while who will with would ' +
    'after also about over than then there these those we you your not no new more most up out'
  ).split(' '),
);

// All rules as one pattern: one pass over the text finds them all, where a pass per rule cost a
// third of the fingerprint. The rules rarely overlap, and where they do the leftmost wins.
const ANY_BOILERPLATE = new RegExp(BOILERPLATE.map((re) => re.source).join('|'), 'gi');

function stripBoilerplate(s: string): string {
  return s.replace(ANY_BOILERPLATE, ' ');
}

export function cleanText(title: string, text: string): string {
  return `${stripBoilerplate(title)}\n${stripBoilerplate(text.replace(DATELINE, '').replace(WIRE_PREFIX, ''))}`;
}

/**
 * A word of up to six letters a–z as a number, five bits a letter, else -1. Every stopword is such a
 * word, and a number looks one up without cutting a string out of the text.
 */
function letterKey(s: string, start: number, end: number): number {
  if (end - start > 6) return -1;
  let key = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i) - 0x60;
    if (c < 1 || c > 26) return -1;
    key = (key << 5) | c;
  }
  return key;
}

const STOP_KEYS = new Set(
  [...STOPWORDS].map((w) => {
    const key = letterKey(w, 0, w.length);
    if (key < 0) throw new Error(`stopword "${w}" is not up to six letters a-z`);
    return key;
  }),
);

const LETTER = 1;
const DIGIT = 2;
// The classes of ASCII characters, nearly all of the text, looked up rather than matched.
const ASCII_CLASS = Uint8Array.from({ length: 0x80 }, (_, c) => {
  const ch = String.fromCharCode(c);
  return /[a-z]/i.test(ch) ? LETTER : /[0-9]/.test(ch) ? DIGIT : 0;
});
// The same classes for other characters; sticky, so each tests one position without allocating a match.
const UNICODE_LETTER = /\p{L}/uy;
const UNICODE_LETTER_OR_DIGIT = /[\p{L}\p{N}]/uy;

/** Where the character at i ends if it is in `classes` (LETTER, or LETTER | DIGIT), else i. */
function classEnd(s: string, i: number, classes: number): number {
  const c = s.charCodeAt(i);
  if (c < 0x80) return ASCII_CLASS[c] & classes ? i + 1 : i;
  const re = classes === LETTER ? UNICODE_LETTER : UNICODE_LETTER_OR_DIGIT;
  re.lastIndex = i;
  return re.test(s) ? re.lastIndex : i;
}

function runEnd(s: string, i: number, classes: number): number {
  for (let next; i < s.length && (next = classEnd(s, i, classes)) > i;) i = next;
  return i;
}

function isApostrophe(c: number): boolean {
  return c === 0x27 || c === 0x2019;
}

// NFKD leaves ASCII and typographic quotes and dashes as they are, and none of them is a mark, so
// only text with other characters pays for normalizing; most English news has just these.
const NEEDS_NFKD = /[^\x00-\x7f\u2013\u2014\u2018-\u201d]/;

/**
 * The content words of title and lead, one at a time: the current word, stemmed, is
 * `text.slice(start, end) + suffix`. Positions rather than strings, so that fingerprinting, which
 * only hashes the words, cuts none out.
 */
class ContentWords {
  readonly text: string;
  start = 0;
  end = 0;
  suffix = '';
  private readonly titleLen: number;
  private pos = 0;
  private bodyWords = 0;

  constructor(title: string, text: string) {
    // Only the lead is read: a full article must not cost its whole length in cleaning.
    let cleaned = cleanText(title, text.length > LEAD_CHARS ? text.slice(0, LEAD_CHARS) : text).toLowerCase();
    if (NEEDS_NFKD.test(cleaned)) cleaned = cleaned.normalize('NFKD').replace(/\p{M}+/gu, '');
    this.text = cleaned;
    this.titleLen = title.length;
  }

  next(): boolean {
    while (this.nextToken()) {
      if (this.start > this.titleLen && ++this.bodyWords > LEAD_WORDS) {
        this.pos = this.text.length;
        return false;
      }
      if (!this.isNoise()) {
        this.stem();
        return true;
      }
    }
    return false;
  }

  // Possessives and contractions ("Spain's", "didn't") count as their first part.
  private nextToken(): boolean {
    const s = this.text;
    let i = this.pos;
    while (i < s.length && classEnd(s, i, LETTER | DIGIT) === i) i++;
    if (i >= s.length) return false;
    this.start = i;
    this.end = i = runEnd(s, i, LETTER | DIGIT);
    if (isApostrophe(s.charCodeAt(i)) && classEnd(s, i + 1, LETTER) > i + 1) i = runEnd(s, i + 1, LETTER);
    this.pos = i;
    return true;
  }

  // Stopwords, and single characters other than digits.
  private isNoise(): boolean {
    if (this.end - this.start < 2) return !(this.text[this.start] >= '0' && this.text[this.start] <= '9');
    const key = letterKey(this.text, this.start, this.end);
    return key >= 0 && STOP_KEYS.has(key);
  }

  private stem(): void {
    const s = this.text;
    const len = this.end - this.start;
    this.suffix = '';
    if (len > 4 && s.startsWith('ies', this.end - 3)) {
      this.end -= 3;
      this.suffix = 'y';
    } else if (len > 3 && s[this.end - 1] === 's' && s[this.end - 2] !== 's') {
      this.end -= 1;
    }
  }
}

export function words(title: string, text: string): string[] {
  const out: string[] = [];
  for (const w = new ContentWords(title, text); w.next();) out.push(w.text.slice(w.start, w.end) + w.suffix);
  return out;
}

// Distinct seeds keep a word and a pair of words in separate hash domains. Neither hash is ever zero,
// which marks an empty slot in the set that drops duplicate features.
const WORD_SEED = 0x2f6b1c3d;
const PAIR_SEED = 0x61c88647;

function wordHash(w: ContentWords): number {
  let h = WORD_SEED;
  for (let i = w.start; i < w.end; i++) h = mix32(h, w.text.charCodeAt(i));
  for (let i = 0; i < w.suffix.length; i++) h = mix32(h, w.suffix.charCodeAt(i));
  return fmix32(h) || 1;
}

function pairHash(a: number, b: number): number {
  return fmix32(mix32(mix32(PAIR_SEED, a), b)) || 1;
}

// Reused across calls, so a fingerprint allocates no feature array or set of its own; both grow
// for long titles.
let feats: Uint32Array = new Uint32Array(512);
let slots = new Uint32Array(1024);

/**
 * Hashes of the features (each content word and each pair of neighbouring ones) into feats, each
 * once, in order of first appearance; returns how many.
 */
function collectFeatures(title: string, text: string): number {
  let n = 0;
  for (const w = new ContentWords(title, text); w.next(); n++) {
    if (2 * n + 2 > feats.length) feats = grown(feats);
    feats[n] = wordHash(w);
  }
  for (let i = 0; i + 1 < n; i++) feats[n + i] = pairHash(feats[i], feats[i + 1]);
  return dropDuplicates(Math.max(0, 2 * n - 1));
}

function grown(a: Uint32Array): Uint32Array {
  const out = new Uint32Array(2 * a.length);
  out.set(a);
  return out;
}

/** Keeps the first of equal values among feats[0, n), in place; returns how many are left. */
function dropDuplicates(n: number): number {
  let size = 64;
  while (size < 2 * n) size *= 2;
  if (slots.length < size) slots = new Uint32Array(size);
  slots.fill(0, 0, size);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const x = feats[i];
    let slot = x & (size - 1);
    while (slots[slot] !== 0 && slots[slot] !== x) slot = (slot + 1) & (size - 1);
    if (slots[slot] === 0) {
      slots[slot] = x;
      feats[kept++] = x;
    }
  }
  return kept;
}

/** An item's distinct feature hashes, in order of first appearance: what its fingerprint is made of. */
export function featureHashes(title: string, text: string): Uint32Array {
  const count = collectFeatures(title, text);
  return feats.slice(0, count);
}

/**
 * Per-function constants for the permutations x → (x ⊕ a)·m mod 2³²: each is a bijection of the
 * feature's already well-mixed hash, and three integer operations instead of a full hash per
 * function keep the 64 functions over every feature cheap.
 */
const XOR = new Int32Array(HASHES);
const MUL = new Int32Array(HASHES);
for (let i = 0; i < HASHES; i++) {
  const h = hash64(`minhash-${i}`);
  XOR[i] = h.hi | 0;
  MUL[i] = h.lo | 1;
}

const mins = new Uint32Array(HASHES);
const NONE = 0xffffffff;
// minhashes takes the functions eight at a time.
if (HASHES % 8 !== 0) throw new Error('ROWS * BANDS must be a multiple of 8');

/**
 * Fills mins for the features in feats[0, count). Eight functions per pass over the features rather
 * than one take about half the time: each feature is loaded once for all eight, and eight running
 * minimums still fit in registers.
 */
function minhashes(count: number): void {
  for (let i = 0; i < HASHES; i += 8) {
    const a0 = XOR[i],
      a1 = XOR[i + 1],
      a2 = XOR[i + 2],
      a3 = XOR[i + 3];
    const a4 = XOR[i + 4],
      a5 = XOR[i + 5],
      a6 = XOR[i + 6],
      a7 = XOR[i + 7];
    const m0 = MUL[i],
      m1 = MUL[i + 1],
      m2 = MUL[i + 2],
      m3 = MUL[i + 3];
    const m4 = MUL[i + 4],
      m5 = MUL[i + 5],
      m6 = MUL[i + 6],
      m7 = MUL[i + 7];
    let min0 = NONE,
      min1 = NONE,
      min2 = NONE,
      min3 = NONE;
    let min4 = NONE,
      min5 = NONE,
      min6 = NONE,
      min7 = NONE;
    for (let f = 0; f < count; f++) {
      const x = feats[f];
      min0 = Math.min(min0, Math.imul(x ^ a0, m0) >>> 0);
      min1 = Math.min(min1, Math.imul(x ^ a1, m1) >>> 0);
      min2 = Math.min(min2, Math.imul(x ^ a2, m2) >>> 0);
      min3 = Math.min(min3, Math.imul(x ^ a3, m3) >>> 0);
      min4 = Math.min(min4, Math.imul(x ^ a4, m4) >>> 0);
      min5 = Math.min(min5, Math.imul(x ^ a5, m5) >>> 0);
      min6 = Math.min(min6, Math.imul(x ^ a6, m6) >>> 0);
      min7 = Math.min(min7, Math.imul(x ^ a7, m7) >>> 0);
    }
    mins[i] = min0;
    mins[i + 1] = min1;
    mins[i + 2] = min2;
    mins[i + 3] = min3;
    mins[i + 4] = min4;
    mins[i + 5] = min5;
    mins[i + 6] = min6;
    mins[i + 7] = min7;
  }
}

/**
 * Writes band b's digest into out: its rows mixed with integer steps, so that equal rows in the same
 * band give equal digests, and the band number mixed in so equal rows in different bands do not.
 */
function writeBand(out: Uint32Array, b: number): void {
  let hi = fmix32(XOR[b] ^ b);
  let lo = MUL[b] >>> 0;
  for (let r = 0; r < ROWS; r++) {
    const m = mins[b * ROWS + r];
    hi = fmix32(hi ^ m);
    lo = fmix32(Math.imul(lo ^ m, 0x27d4eb2f) ^ hi);
  }
  out[2 * b] = hi;
  out[2 * b + 1] = lo;
}

export function fingerprint(title: string, text: string): Fingerprint {
  const count = collectFeatures(title, text);
  minhashes(count);
  const bands = new Uint32Array(2 * BANDS);
  for (let b = 0; b < BANDS; b++) writeBand(bands, b);
  return { bands, features: count };
}

export function bandVotes(a: Fingerprint, b: Fingerprint): number {
  let votes = 0;
  for (let i = 0; i < 2 * BANDS; i += 2) {
    if (a.bands[i] === b.bands[i] && a.bands[i + 1] === b.bands[i + 1]) votes++;
  }
  return votes;
}

export function sameStory(a: Fingerprint, b: Fingerprint): boolean {
  return a.features > 0 && b.features > 0 && bandVotes(a, b) >= MIN_VOTES;
}

/**
 * Lead-sentence sketch: a brief (headline and one sentence) shares most of its words with the
 * sentence that opens the full story, yet too few of the full story's features for the fingerprint
 * above. So each item also gets a small MinHash of the words of each opening sentence (the first
 * sentence of each of its first paragraphs long enough to carry news, so bylines and section
 * labels are skipped, and a local outlet's own opening paragraph does not hide the wire lead). Its
 * bands vote for a story alongside the fingerprint's; a band does not depend on which sentence it
 * came from, so a brief's one sentence meets the full story's lead wherever that stands.
 */
export const LEAD_SENTENCES = 2;
export const LEAD_BANDS = 14;
const LEAD_ROWS = 3;
/** Content words a sentence needs to be sketched. */
const MIN_SENTENCE_WORDS = 6;
const LEAD_SEED = 0x3c6ef372;
// A sketch takes its rows from the fingerprint's hash functions.
if (LEAD_BANDS * LEAD_ROWS > HASHES) throw new Error('LEAD_BANDS * LEAD_ROWS must not exceed ROWS * BANDS');
const PARAGRAPHS = /\n\s*\n|\n/;
const SENTENCE_END = /(?<=[.!?])\s+(?=["“‘]?[A-Z])/;

/** Up to LEAD_SENTENCES opening sentences of the text, each the first of its paragraph. */
export function leadSentences(text: string): string[] {
  const out: string[] = [];
  for (const para of text.slice(0, LEAD_CHARS).split(PARAGRAPHS)) {
    const sentence = para.split(SENTENCE_END, 1)[0];
    if (wordCount(sentence) < MIN_SENTENCE_WORDS) continue;
    out.push(sentence);
    if (out.length === LEAD_SENTENCES) break;
  }
  return out;
}

function wordCount(sentence: string): number {
  let n = 0;
  for (const w = new ContentWords('', sentence); w.next();) n++;
  return n;
}

/** The distinct band digests of the opening sentences' sketches, two 32-bit words each. */
export function leadBands(text: string): Uint32Array {
  const sentences = leadSentences(text);
  const out = new Uint32Array(2 * LEAD_BANDS * sentences.length);
  let kept = 0;
  for (const sentence of sentences) {
    let n = 0;
    for (const w = new ContentWords('', sentence); w.next(); n++) {
      if (n + 1 > feats.length) feats = grown(feats);
      feats[n] = wordHash(w);
    }
    minhashes(dropDuplicates(n));
    for (let b = 0; b < LEAD_BANDS; b++) {
      const [hi, lo] = leadBand(b);
      if (!hasBand(out, kept, hi, lo)) {
        out[2 * kept] = hi;
        out[2 * kept + 1] = lo;
        kept++;
      }
    }
  }
  return out.slice(0, 2 * kept);
}

function leadBand(b: number): [number, number] {
  let hi = fmix32(LEAD_SEED ^ b);
  let lo = fmix32(LEAD_SEED + b);
  for (let r = 0; r < LEAD_ROWS; r++) {
    const m = mins[b * LEAD_ROWS + r];
    hi = fmix32(hi ^ m);
    lo = fmix32(Math.imul(lo ^ m, 0x27d4eb2f) ^ hi);
  }
  return [hi, lo];
}

function hasBand(bands: Uint32Array, count: number, hi: number, lo: number): boolean {
  for (let i = 0; i < count; i++) if (bands[2 * i] === hi && bands[2 * i + 1] === lo) return true;
  return false;
}
