/**
 * Text folding for matching: NFKD, combining marks removed, lower-cased, typographic apostrophes
 * unified, every kind of space turned into a plain space, the soft hyphen dropped, and a hyphen or
 * dash between two letters or digits read as a space ("security-guarantees" is a phrase of two words).
 * Folding happens once per field; an offset map leads from the folded text back to the original,
 * so hits can point into the text the user gave us.
 */

/** Folded text plus, when folding changed lengths, the original index of each folded char. */
export interface FoldedText {
  text: string;
  /**
   * `map[k]` is the index in the original of the char that folded char `k` came from;
   * `map[text.length]` is the original's length. `null` means the identity (pure ASCII input).
   */
  map: Int32Array | null;
}

const NON_ASCII = /[^\x00-\x7f]/;
const NON_ASCII_G = /[^\x00-\x7f]+/g;
const MARKS = /\p{M}/gu;
const SPACE = /^\s$/u;

/** Code units that belong to words: letters, digits, combining marks. Surrogates count as non-word. */
export const WORD_UNIT: Uint8Array = (() => {
  const t = new Uint8Array(65536);
  const word = /^[\p{L}\p{N}\p{M}]$/u;
  for (let c = 0; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    if (c < 128) t[c] = (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) ? 1 : 0;
    else t[c] = word.test(String.fromCharCode(c)) ? 1 : 0;
  }
  return t;
})();

/** Code units that separate the words of a phrase: any whitespace, the zero-width space. */
export const SPACE_UNIT: Uint8Array = (() => {
  const t = new Uint8Array(65536);
  for (let c = 0; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    if (SPACE.test(String.fromCharCode(c))) t[c] = 1;
  }
  t[0x200b] = 1;
  return t;
})();

const SPECIAL: Record<string, string> = {
  ß: 'ss',
  ẞ: 'ss',
  ς: 'σ',
  '\u2018': "'",
  '\u2019': "'",
  '\u201b': "'",
  '\u02bc': "'",
  '\u2032': "'",
  '\uff07': "'",
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u00ad': '',
  '\u200b': ' ',
};

const cache = new Map<number, string>();

function foldCodePoint(cp: number): string {
  const hit = cache.get(cp);
  if (hit !== undefined) return hit;
  const ch = String.fromCodePoint(cp);
  let f = SPECIAL[ch];
  if (f === undefined) {
    if (cp <= 0xffff && SPACE_UNIT[cp]) f = ' ';
    else {
      // Lower-casing can reintroduce a mark (İ → i̇), hence the second pass.
      f = ch.normalize('NFKD').replace(MARKS, '').toLowerCase().normalize('NFKD').replace(MARKS, '');
    }
  }
  cache.set(cp, f);
  return f;
}

/** Folds a field's text; pure ASCII takes a fast path that needs no offset map. */
export function foldText(s: string): FoldedText {
  if (!NON_ASCII.test(s)) return { text: joinedBySpaces(s.toLowerCase()), map: null };
  const folded = foldNonAscii(s);
  folded.text = joinedBySpaces(folded.text);
  return folded;
}

/** A hyphen between two word chars becomes a space; the length stays, so offsets hold. */
function joinedBySpaces(s: string): string {
  if (!s.includes('-')) return s;
  return s.replace(HYPHEN_JOIN, ' ');
}
const HYPHEN_JOIN = /(?<=[\p{L}\p{N}\p{M}])-(?=[\p{L}\p{N}\p{M}])/gu;

function foldNonAscii(s: string): FoldedText {
  let out = '';
  let map = new Int32Array(s.length + 16);
  let n = 0;
  const put = (piece: string, from: number, to: number) => {
    if (n + piece.length + 1 > map.length) {
      const bigger = new Int32Array(Math.max(map.length * 2, n + piece.length + 16));
      bigger.set(map.subarray(0, n));
      map = bigger;
    }
    out += piece;
    if (to - from === piece.length) for (let k = 0; k < piece.length; k++) map[n++] = from + k;
    else for (let k = 0; k < piece.length; k++) map[n++] = from;
  };
  let i = 0;
  NON_ASCII_G.lastIndex = 0;
  for (let m = NON_ASCII_G.exec(s); m !== null; m = NON_ASCII_G.exec(s)) {
    if (m.index > i) put(s.slice(i, m.index).toLowerCase(), i, m.index);
    const runEnd = m.index + m[0].length;
    for (let j = m.index; j < runEnd;) {
      const cp = s.codePointAt(j)!;
      const width = cp > 0xffff ? 2 : 1;
      const f = foldCodePoint(cp);
      if (f.length > 0) put(f, j, j + width);
      j += width;
    }
    i = runEnd;
  }
  if (i < s.length) put(s.slice(i).toLowerCase(), i, s.length);
  if (n + 1 > map.length) {
    const bigger = new Int32Array(n + 1);
    bigger.set(map.subarray(0, n));
    map = bigger;
  }
  map[n] = s.length;
  return { text: out, map: map.subarray(0, n + 1) };
}

/** Original index where folded position `k` starts. */
export function originalStart(f: FoldedText, k: number): number {
  return f.map === null ? k : f.map[k];
}

/** Original index just past the char that produced folded char `k - 1`. */
export function originalEnd(f: FoldedText, k: number): number {
  if (f.map === null) return k;
  const src = f.map[k - 1];
  let j = k;
  while (j < f.text.length && f.map[j] === src) j++;
  return f.map[j];
}

/** A term or phrase as the automaton stores it: folded, its words joined by single spaces. */
export function foldPhrase(s: string): string {
  return collapseSpaces(foldText(s).text);
}

/** Like foldPhrase but keeping case, for `case:` terms. */
export function foldKeepCase(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const special = SPECIAL[ch];
    if (special !== undefined) out += special;
    else if (cp <= 0xffff && SPACE_UNIT[cp]) out += ' ';
    else out += cp < 128 ? ch : ch.normalize('NFKD').replace(MARKS, '');
  }
  return collapseSpaces(joinedBySpaces(out));
}

function collapseSpaces(s: string): string {
  if (isTidy(s)) return s;
  let out = '';
  let pendingSpace = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (SPACE_UNIT[c]) {
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace) out += ' ';
    pendingSpace = false;
    out += s[i];
  }
  return out;
}

/** Words joined by single plain spaces, none at the ends: what collapseSpaces would return as is. */
function isTidy(s: string): boolean {
  if (s.length === 0) return true;
  if (SPACE_UNIT[s.charCodeAt(0)] || SPACE_UNIT[s.charCodeAt(s.length - 1)]) return false;
  for (let i = 1; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (SPACE_UNIT[c] && (c !== 32 || SPACE_UNIT[s.charCodeAt(i + 1)])) return false;
  }
  return true;
}

export function isWordUnit(c: number): boolean {
  return WORD_UNIT[c] === 1;
}
