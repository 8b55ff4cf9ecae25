export { extractArticle, PAGE_ACCEPT } from './extract.js';
export type { Article, ExtractError, ExtractErrorKind, ExtractOptions, ExtractResult } from './extract.js';
export { extractJsonLines } from './jsonl.js';
export { scoreCorpus, scorePage } from './score.js';
