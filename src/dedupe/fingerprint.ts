/**
 * A story fingerprint: MinHash over word features of the title and lead, cut into LSH bands. Two
 * items are the same story when enough of their bands are equal, so a store can find candidates by
 * exact band lookups instead of comparing against every recent item.
 *
 * MinHash rather than SimHash: copies of one story across outlets typically share only half to
 * two-thirds of their words (new headline, rewritten first sentence, cut paragraphs), where SimHash
 * distances of same and different stories overlap; the band-vote rule separates them on the labeled
 * set in test/fixtures/stories.
 */
import { fmix32, hash64 } from './hash64.js';

/** Rows per band: a band matches with probability ≈ J^ROWS for Jaccard similarity J. */
export const ROWS = 2;
export const BANDS = 32;
/** Equal bands needed to call two items one story. */
export const MIN_VOTES = 3;
/** Words of the body used after the title: the lead carries the story, later paragraphs drift. */
export const LEAD_WORDS = 90;

const HASHES = ROWS * BANDS;

export interface Fingerprint {
  /** One 64-bit digest per band, as 16 hex digits; equal digests mean an equal band. */
  bands: string[];
  /** How many distinct features went in; a fingerprint of too few says little. */
  features: number;
}

const BOILERPLATE: RegExp[] = [
  /\bback to top(?: button)?\b/gi,
  /\bskip to (?:main )?content\b/gi,
  /\b(?:advertisement|sponsored content|story continues below(?: advertisement)?)\b/gi,
  /\bshare (?:this|on) (?:article|story|facebook|twitter|x|whatsapp|linkedin|email)\b/gi,
  /\b(?:click here to )?(?:read|see) (?:more|the full story|full article)\b/gi,
  /\bsign up for (?:our|the) [\w ]{0,40}?newsletters?\b/gi,
  /\bsubscribe (?:now|today|to our newsletter)\b/gi,
  /\bcopyright \d{4}[^.]*\.|\ball rights reserved\.?/gi,
  /\bthis (?:story|article) (?:has been|was) updated[^.]*\.?/gi,
  /\b(?:reporting|writing|editing|additional reporting) by [^;.]*[;.]?/gi,
  /\(\s*(?:reuters|ap|afp|dpa|bloomberg|upi|ians|pti|ansa|efe|anadolu)\s*\)/gi,
  /\b(?:the )?associated press\b|\bap photo\b/gi,
];

// "BRUSSELS (Reuters) -", "WASHINGTON, March 3 (AP) —", "KYIV, Ukraine —" at the start of a lead.
const DATELINE = /^\s*[A-Z][A-Z.'’ -]{2,}(?:,\s*[A-Z][\w.]*(?:\s+\d{1,2})?)?\s*(?:\([^)]{1,20}\))?\s*[-—–:]\s+/;
const WIRE_PREFIX = /^\s*(?:AP|AFP|Reuters|dpa|UPI)\s*[-—–:]\s+/i;

const STOPWORDS = new Set(
  ('a an and are as at be been but by for from had has have he her his i in into is it its of on or ' +
    'our she said says that the their them they this to was were which while who will with would ' +
    'after also about over than then there these those we you your not no new more most up out').split(' '),
);

export function cleanText(title: string, text: string): string {
  let body = text.replace(DATELINE, '').replace(WIRE_PREFIX, '');
  let head = title;
  for (const re of BOILERPLATE) {
    body = body.replace(re, ' ');
    head = head.replace(re, ' ');
  }
  return `${head}\n${body}`;
}

function stem(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

export function words(title: string, text: string): string[] {
  let cleaned = cleanText(title, text).toLowerCase();
  if (/[^\x00-\x7f]/.test(cleaned)) cleaned = cleaned.normalize('NFKD').replace(/\p{M}+/gu, '');
  const out: string[] = [];
  const titleLen = title.length;
  let bodyWords = 0;
  // Possessives and contractions ("Spain's", "didn't") count as their first part.
  for (const m of cleaned.matchAll(/([\p{L}\p{N}]+)(?:['’][\p{L}]+)?/gu)) {
    const w = m[1];
    if (m.index > titleLen && ++bodyWords > LEAD_WORDS) break;
    if (STOPWORDS.has(w) || (w.length < 2 && !(w >= '0' && w <= '9'))) continue;
    out.push(stem(w));
  }
  return out;
}

/** Features: each word and each pair of neighbouring content words. */
export function features(title: string, text: string): Set<string> {
  const ws = words(title, text);
  const out = new Set<string>();
  for (let i = 0; i < ws.length; i++) {
    out.add(ws[i]);
    if (i + 1 < ws.length) out.add(`${ws[i]} ${ws[i + 1]}`);
  }
  return out;
}

/**
 * Per-function constants for the permutations x → (x ⊕ a)·m mod 2³²: each is a bijection of the
 * feature's already well-mixed hash, and three integer operations instead of a full hash per
 * function keep fingerprinting at a few microseconds per item.
 */
const XOR = new Int32Array(HASHES);
const MUL = new Int32Array(HASHES);
for (let i = 0; i < HASHES; i++) {
  const h = hash64(`minhash-${i}`);
  XOR[i] = h.hi | 0;
  MUL[i] = h.lo | 1;
}

export function minhashes(feats: Iterable<string>): Uint32Array {
  const mins = new Uint32Array(HASHES).fill(0xffffffff);
  for (const f of feats) {
    const { hi, lo } = hash64(f);
    const x = (hi ^ (lo >>> 7)) | 0;
    for (let i = 0; i < HASHES; i++) {
      const v = Math.imul(x ^ XOR[i], MUL[i]) >>> 0;
      if (v < mins[i]) mins[i] = v;
    }
  }
  return mins;
}

/**
 * A band's rows mixed with integer steps rather than hashed as a string: equal rows in the same band
 * give equal digests, and the band number is mixed in so equal rows in different bands do not.
 */
function bandDigest(mins: Uint32Array, b: number): string {
  let hi = fmix32(XOR[b] ^ b);
  let lo = MUL[b] >>> 0;
  for (let r = 0; r < ROWS; r++) {
    const m = mins[b * ROWS + r];
    hi = fmix32(hi ^ m);
    lo = fmix32(Math.imul(lo ^ m, 0x27d4eb2f) ^ hi);
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

export function fingerprint(title: string, text: string): Fingerprint {
  const feats = features(title, text);
  const mins = minhashes(feats);
  const bands: string[] = [];
  for (let b = 0; b < BANDS; b++) bands.push(bandDigest(mins, b));
  return { bands, features: feats.size };
}

export function bandVotes(a: Fingerprint, b: Fingerprint): number {
  let votes = 0;
  for (let i = 0; i < BANDS; i++) if (a.bands[i] === b.bands[i]) votes++;
  return votes;
}

export function sameStory(a: Fingerprint, b: Fingerprint): boolean {
  return a.features > 0 && b.features > 0 && bandVotes(a, b) >= MIN_VOTES;
}
