/** rss-parser ships no types for its helpers module; only the part xml.ts replaces is declared. */
declare module 'rss-parser/lib/utils.js' {
  const utils: { getSnippet(html: string): string };
  export default utils;
}
