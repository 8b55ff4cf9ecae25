/** `mediawatch feeds import`: the feeds of an OPML subscription list, with ids fit for the config. */
import { Parser } from 'htmlparser2';

export interface ImportedFeed {
  id: string;
  url: string;
}

/** Lower-case letters, digits, "-" and "_" (the config's id rule), from a title or host name. */
function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
}

/** Every `<outline xmlUrl>` with an http(s) URL, once per URL, in document order. */
export function importOpml(xml: string): ImportedFeed[] {
  const out: ImportedFeed[] = [];
  const urls = new Set<string>();
  const ids = new Set<string>();
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name !== 'outline') return;
        const raw = attrs.xmlurl?.trim();
        if (!raw || !URL.canParse(raw)) return;
        const url = new URL(raw);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') return;
        if (urls.has(url.href)) return;
        urls.add(url.href);
        const base = slug(attrs.title ?? attrs.text ?? '') || slug(url.hostname) || 'feed';
        let id = base;
        for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
        ids.add(id);
        out.push({ id, url: url.href });
      },
    },
    { xmlMode: true, decodeEntities: true, lowerCaseAttributeNames: true, lowerCaseTags: true },
  );
  parser.write(xml);
  parser.end();
  return out;
}
