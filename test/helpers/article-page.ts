/** A news article page around a plain text (first line the headline, paragraphs after), as outlets publish them. */
export function articlePage(
  text: string,
  opts: { canonical?: string; charset?: string; lang?: string } = {},
): string {
  const [headline, ...paragraphs] = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<!doctype html>
<html lang="${opts.lang ?? 'en'}"><head>
${opts.charset ? `<meta http-equiv="Content-Type" content="text/html; charset=${opts.charset}">` : '<meta charset="utf-8">'}
<title>${escape(headline)} - Example World News</title>
${opts.canonical ? `<link rel="canonical" href="${opts.canonical}">` : ''}
<meta property="article:published_time" content="2022-12-03T19:05:00Z">
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav></header>
<main><article>
<h1>${escape(headline)}</h1>
<p class="byline">By Example Staff</p>
${paragraphs.map((p) => `<p>${escape(p)}</p>`).join('\n')}
</article></main>
<footer><p>© Example World News</p></footer>
</body></html>`;
}
