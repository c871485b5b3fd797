/**
 * The post-mortem document as Markdown (GitHub-flavoured: tables), for a wiki, a repository or
 * an email. People's words are escaped (models/support/markdown.ts), so a title or an action
 * item reads as typed and never becomes a link or markup the app seems to vouch for.
 */
import { escapeMarkdown } from '../support/markdown.js';
import type { DocBlock, DocCell, PostmortemDocument } from './postmortemDocument.js';

/** A table cell keeps to one line: a line break would end the table. */
const cellText = (value: string) => escapeMarkdown(value.replace(/\s*\n\s*/g, ' '));
const safeUrl = (url: string) => (/^https?:\/\//i.test(url) ? url.replace(/[()<>\s]/g, encodeURIComponent) : undefined);
const link = (text: string, url: string) => {
  const target = safeUrl(url);
  return target ? `[${cellText(text)}](${target})` : cellText(`${text}: ${url}`);
};
const cell = (value: DocCell) => (typeof value === 'string' ? cellText(value) : link(value.text, value.url));

function block(b: DocBlock): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${cellText(b.text)}`;
    case 'paragraph':
      // Line breaks the author typed are kept (two spaces end a Markdown line).
      return b.empty ? `_${escapeMarkdown(b.text)}_` : b.text.split('\n').map(escapeMarkdown).join('  \n');
    case 'table': {
      const header = b.columns.every((c) => c === '') ? b.columns.map(() => ' ') : b.columns.map(cellText);
      return [`| ${header.join(' | ')} |`, `|${b.columns.map(() => '---').join('|')}|`, ...b.rows.map((row) => `| ${row.map(cell).join(' | ')} |`)].join('\n');
    }
    case 'links':
      return b.links.map((l) => `- ${link(l.text, l.url)}`).join('\n');
  }
}

export function postmortemMarkdown(doc: PostmortemDocument): string {
  return `${doc.blocks.map(block).join('\n\n')}\n`;
}
