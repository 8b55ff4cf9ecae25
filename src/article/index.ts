export { createArticles, type Articles, type ArticlesDeps } from './articles.js';
export { createArticleReader, type ArticleReader, type ArticleReaderDeps, type PageFailure } from './read.js';
export {
  createRobotsStore,
  robotsKey,
  ROBOTS_TOKEN,
  type RobotsStore,
  type RobotsVerdict,
} from './robots.js';
export { withArticle } from './with-article.js';
