/**
 * An article's DOM → its blocks of text as a reader sees them: one per paragraph, heading or list
 * item, whitespace collapsed, nothing from elements a reader never sees; each with how much of its
 * text is link text, which tells a paragraph from a link to another page.
 */
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { collapse, repairText } from '../parse/text.js';

export interface Block {
  text: string;
  /** Upper-case name of the element that holds the text, e.g. "P", "LI". */
  tag: string;
  /** Characters of `text` inside links, before whitespace was collapsed. */
  linkChars: number;
  /** Characters of `text` before whitespace was collapsed. */
  rawChars: number;
}

const SKIPPED = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'IFRAME',
  'OBJECT',
  'SVG',
  'MATH',
  'BUTTON',
  'SELECT',
  'TEXTAREA',
]);

const BLOCKS = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'BR',
  'DD',
  'DETAILS',
  'DIV',
  'DL',
  'DT',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'FORM',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HR',
  'LI',
  'MAIN',
  'NAV',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'SUMMARY',
  'TABLE',
  'TD',
  'TH',
  'TR',
  'UL',
  'CAPTION',
]);

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

export function textBlocks(root: Node): Block[] {
  const blocks: Block[] = [];
  let parts: string[] = [];
  let linkChars = 0;
  let rawChars = 0;
  const tags: string[] = [];
  const endBlock = () => {
    const text = collapse(repairText(parts.join('')));
    if (text !== '') blocks.push({ text, tag: tags.at(-1) ?? '', linkChars, rawChars });
    parts = [];
    linkChars = 0;
    rawChars = 0;
  };
  const walk = (node: Node, inLink: boolean) => {
    if (node.nodeType === TEXT_NODE) {
      const value = node.nodeValue ?? '';
      parts.push(value);
      rawChars += value.length;
      if (inLink) linkChars += value.length;
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    const name = (node as Element).tagName.toUpperCase();
    if (SKIPPED.has(name)) return;
    const block = BLOCKS.has(name);
    if (block) {
      endBlock();
      tags.push(name);
    }
    const link = inLink || name === 'A';
    for (let child = node.firstChild; child; child = child.nextSibling) walk(child, link);
    if (block) {
      endBlock();
      tags.pop();
    }
  };
  walk(root, false);
  endBlock();
  return blocks;
}
