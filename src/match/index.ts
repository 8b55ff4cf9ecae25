/** The matcher: watches compile once into a Matcher that finds mentions in items. */
export { compileWatches } from './compile.js';
export { lintWatch } from './lint.js';
export { QueryError, formatQueryError } from './query-error.js';
export {
  BACKTEST_ARTICLE_CHARS,
  createBacktestStore,
  type BacktestStore,
  type BacktestEntry,
  type BacktestReport,
} from './backtest-store.js';
export { matchJsonLines } from './jsonl.js';
