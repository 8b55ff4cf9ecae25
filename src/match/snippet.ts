/** The sentence around a hit, from the original text, with the hit marked «like this». */

const MAX_CHARS = 240;
/** Context kept on each side of the hit when a sentence is too long to show whole. */
const SIDE_CHARS = 100;
const SPACES = /\s+/g;
const INVISIBLE = /[\u00ad\u200b]/g;

/** All offsets are UTF-16 indexes into `original`; [sentStart, sentEnd) must contain the hit. */
export function buildSnippet(original: string, sentStart: number, sentEnd: number, hitStart: number, hitEnd: number): string {
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
  const tidy = (s: string) => s.replace(INVISIBLE, '').replace(SPACES, ' ');
  const text = tidy(original.slice(a, hitStart)).trimStart() + '«' + tidy(original.slice(hitStart, hitEnd)) + '»' + tidy(original.slice(hitEnd, b)).trimEnd();
  return lead + text + tail;
}
