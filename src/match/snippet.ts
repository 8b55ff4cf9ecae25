/** The sentence around a hit, from the original text, with the hit marked «like this». */

const MAX_CHARS = 240;
/** Context kept on each side of the hit when a sentence is too long to show whole. */
const SIDE_CHARS = 100;
const SPACES = /\s+/g;
/** Whitespace other than lone plain spaces: only then does the snippet need its spaces collapsed. */
const UNTIDY_SPACE = /[^\S ]| {2}/;
const INVISIBLE = /[\u00ad\u200b]/g;

/** All offsets are UTF-16 indexes into `original`; [sentStart, sentEnd) must contain the hit. */
export function buildSnippet(
  original: string,
  sentStart: number,
  sentEnd: number,
  hitStart: number,
  hitEnd: number,
): string {
  let a = sentStart;
  let b = sentEnd;
  let lead = '';
  let tail = '';
  if (b - a > MAX_CHARS) {
    if (hitStart - SIDE_CHARS > a) {
      a = hitStart - SIDE_CHARS;
      const space = original.slice(a, hitStart).search(/\s/);
      if (space >= 0) a += space + 1;
      lead = '…';
    }
    if (hitEnd + SIDE_CHARS < b) {
      b = hitEnd + SIDE_CHARS;
      const space = original.slice(hitEnd, b).search(/\s\S*$/);
      if (space >= 0) b = hitEnd + space;
      tail = '…';
    }
  }
  let text =
    original.slice(a, hitStart) + '«' + original.slice(hitStart, hitEnd) + '»' + original.slice(hitEnd, b);
  if (text.includes('\u00ad') || text.includes('\u200b')) text = text.replace(INVISIBLE, '');
  if (UNTIDY_SPACE.test(text)) text = text.replace(SPACES, ' ');
  return lead + text.trim() + tail;
}
