/** An item with its page read: the article's text, and the page's metadata where the feed gave none. */
import type { FeedItem } from '../contracts/item.js';
import type { Article } from '../extract/index.js';

export function withArticle(item: FeedItem, article: Article): FeedItem {
  return {
    ...item,
    article: article.text,
    ...(article.canonicalUrl ? { canonicalUrl: article.canonicalUrl } : {}),
    ...(item.publishedAt === undefined && article.publishedAt ? { publishedAt: article.publishedAt } : {}),
    ...(item.lang === undefined && article.lang ? { lang: article.lang } : {}),
    ...(item.author === undefined && article.byline ? { author: article.byline } : {}),
  };
}
