/**
 * Page furniture removed before Readability scores the page: what is never the article (navigation,
 * complementary boxes, hidden elements, captions) and blocks whose class or id names a known kind
 * of furniture (share bars, related links, newsletters, ads), unless they hold much of the text.
 */
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
const NEVER_ARTICLE = [
  // JSON-LD stays for Readability, which reads the headline, author and dates from it.
  'script:not([type="application/ld+json"])',
  'style',
  'noscript',
  'template',
  'svg',
  'iframe',
  'nav',
  'aside',
  'form',
  'button',
  'figcaption',
  '[role="navigation"]',
  '[role="complementary"]',
  '[role="banner"]',
  '[role="contentinfo"]',
  '[role="dialog"]',
  '[role="alert"]',
  '[hidden]',
  '[aria-hidden="true"]',
].join(',');

/** One word of a class or id, between separators, that names furniture. */
const FURNITURE_WORD =
  /(?:^|[-_\s])(?:ads?|advert\w*|promo\w*|sponsor\w*|share|sharing|social|related|recommend\w*|newsletter|subscribe|signup|popup|modal|cookie\w*|consent|comments?|breadcrumbs?|caption|credits?|rollover\w*|tooltip|outbrain|taboola|sidebar|widget|toolbar|disclaimer|copyright|byline|author-?bio|more-?stories|read-?more|trending|most-?popular)(?:$|[-_\s])/i;

/**
 * Furniture never holds this much of the page's text, nor of the text in its paragraphs; the
 * article's container might (pages without <p> elements are protected by the first share).
 */
const MAX_FURNITURE_SHARE = 0.3;

interface TextShare {
  text: number;
  paragraphs: number;
}

function measure(el: Element): TextShare {
  let paragraphs = 0;
  for (const p of el.querySelectorAll('p')) paragraphs += p.textContent?.length ?? 0;
  return { text: el.textContent?.length ?? 0, paragraphs };
}

function holdsLittle(el: Element, page: TextShare): boolean {
  const own = measure(el);
  return (
    own.text <= page.text * MAX_FURNITURE_SHARE && own.paragraphs <= page.paragraphs * MAX_FURNITURE_SHARE
  );
}

export function removeFurniture(document: Document): void {
  for (const el of document.querySelectorAll(NEVER_ARTICLE)) el.remove();
  const body = document.body;
  if (!body) return;
  const page = measure(body);
  for (const el of body.querySelectorAll('[class], [id]')) {
    const name = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
    // A link in a sentence is words of the sentence, whatever its class says.
    if (el.tagName === 'A' || !FURNITURE_WORD.test(name) || !el.isConnected) continue;
    if (holdsLittle(el, page)) el.remove();
  }
}
