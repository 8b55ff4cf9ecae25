/**
 * Which of the article's blocks are the article. Readability picks the right container but keeps
 * what publishers put inside it besides the story: datelines, credits, "read more" links, widget
 * headings, the headline again. Rules here look at one short block at a time (its link text, the
 * words it starts with, whether it repeats the headline or an earlier block); longer blocks are prose.
 */
import type { Block } from './text.js';

/** Longest block that a furniture rule may drop; anything longer is prose. */
const SHORT_CHARS = 160;
/** Share of link text above which a short paragraph is a link to elsewhere. */
const LINK_DENSITY = 0.8;
/**
 * Paragraphs, as opposed to headings and items of lists and tables, which are often links that
 * are the content (a gift guide's product names, a list of teams).
 */
const PARAGRAPH_TAGS = new Set(['P', 'DIV', 'SECTION', 'ARTICLE', 'BLOCKQUOTE', '']);

/** Openings of datelines, credits and calls to action (in lines that are not sentences). */
const FURNITURE_LINE =
  /^(?:by\s|published\b|updated\b|posted\b|last (?:updated|modified)\b|photo\b|photograph\b|image\b|picture\b|video\b|source\b|credit\b|via\s|caption\b|advertisement\b|continue reading\b|read more\b|related\b|see also\b|share\b|follow us\b|sign up\b|subscribe\b|click here\b|©|\(c\)\s|copyright\b)/i;
const RIGHTS = /\ball rights reserved\b/i;
const SENTENCE_END = /[.!?…"”»。！？)]$/;

const isShort = (b: Block) => b.text.length <= SHORT_CHARS;
const fold = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

function isFurniture(b: Block, echoes: Set<string>): boolean {
  if (!isShort(b)) return false;
  if (PARAGRAPH_TAGS.has(b.tag) && b.rawChars > 0 && b.linkChars / b.rawChars >= LINK_DENSITY) return true;
  if (FURNITURE_LINE.test(b.text) && !SENTENCE_END.test(b.text)) return true;
  return RIGHTS.test(b.text) || echoes.has(fold(b.text));
}

/** A short block seen before in the article (an image caption under every photo) is kept once. */
function firstOccurrences(blocks: Block[]): Block[] {
  const seen = new Set<string>();
  return blocks.filter((b) => {
    if (!isShort(b)) return true;
    if (seen.has(b.text)) return false;
    seen.add(b.text);
    return true;
  });
}

/** The article's paragraphs, furniture left out. */
export function articleParagraphs(blocks: Block[], context: { title?: string; byline?: string }): string[] {
  const echoes = new Set([context.title, context.byline].map((s) => fold(s ?? '')).filter((s) => s !== ''));
  return firstOccurrences(blocks)
    .filter((b) => !isFurniture(b, echoes))
    .map((b) => b.text);
}
