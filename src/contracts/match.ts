/** What the matcher takes and gives; shared by the pipeline, the CLI and the backtest. */

export type MatchField = 'title' | 'summary' | 'content' | 'article' | 'url' | 'feed';

/** The text of an item as the matcher sees it: plain text per field. */
export interface MatchInput {
  title: string;
  summary: string;
  content: string;
  /** The text of the item's page, when it was read (fullText). */
  article?: string;
  url?: string;
  feedId?: string;
  lang?: string;
}

export interface MatchHit {
  /**
   * The configured term (or query operand) that matched, as written in the config; for a name,
   * the variant found, as the text writes it ("Макрона").
   */
  term: string;
  /** For a name: the name, as configured, that the variant stands for ("Macron"). */
  name?: string;
  field: MatchField;
  /** UTF-16 offsets into that field's text, as given in MatchInput. */
  start: number;
  end: number;
  /** The sentence around the hit, with the matched words marked by « ». */
  snippet: string;
}

export interface WatchMatch {
  id: string;
  label: string;
  matches: MatchHit[];
}

/** A watch as the config gives it; `names`, `terms`/`exclude` and `query` compile into the same engine. */
export interface WatchSpec {
  id: string;
  label: string;
  /** People and organisations, matched in other scripts, romanizations and case forms. */
  names?: string[];
  terms?: string[];
  /** Terms (and query terms) match their inflected forms: true for the language each is written in, or a language code. */
  inflect?: boolean | string;
  exclude?: string[];
  query?: string;
}

export interface Matcher {
  readonly watchCount: number;
  /** Watches that match, in config order, each with its hits. */
  match(input: MatchInput): WatchMatch[];
}
