/**
 * A Teams message as the record keeps it: plain text. Teams hands messages over as HTML (Graph's
 * chatMessage body: paragraphs, `<at>` mentions, links, inline images) with files as separate
 * attachments (`contentType: "reference"`, a `contentUrl` and a `name`). The record wants words
 * a post-mortem can quote, and what cannot be words (an image, a file) as a link to it.
 */
import { convert } from 'html-to-text';
import { HTTPS_LINK } from '../incident/incident.js';

export interface MessageAttachment {
  readonly contentType?: string;
  readonly contentUrl?: string;
  readonly name?: string;
}

const tidy = (text: string) => text.replace(/\r/g, '').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();

/** The body's text; with `links`, images and hyperlinks keep their https address (anything else is dropped). */
export function textOfHtml(content: string, contentType: string | undefined, links: boolean): string {
  if (contentType === 'text') return tidy(content);
  const href = (url: unknown) => (typeof url === 'string' && HTTPS_LINK.test(url) ? url : undefined);
  // Only https addresses are kept: a link to anything else (javascript:, data:, a local path) keeps its words alone.
  const safe = content.replace(/\shref\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, (whole, value: string) => (href(value.replace(/^["']|["']$/g, '').replace(/&amp;/g, '&')) ? whole : ''));
  return tidy(
    convert(safe, {
      wordwrap: false,
      formatters: {
        // An inline image (a pasted screenshot) becomes "[image: <its address>]" — or goes, without one.
        recordImage: (elem, _walk, builder) => {
          const src = href((elem as { attribs?: Record<string, string> }).attribs?.src);
          if (src) builder.addInline(`[image: ${src}]`);
        },
      },
      selectors: [
        { selector: 'a', options: { ignoreHref: !links, hideLinkHrefIfSameAsText: true, linkBrackets: ['(', ')'] } },
        { selector: 'img', format: links ? 'recordImage' : 'skip' },
      ],
    }),
  );
}

/** Files shared with the message, as "[file: name](address)" lines (https addresses only). */
export function attachmentLines(attachments: readonly MessageAttachment[] = []): string[] {
  return attachments
    .filter((a) => a.contentType === 'reference' && typeof a.contentUrl === 'string' && HTTPS_LINK.test(a.contentUrl))
    .map((a) => `[file: ${(a.name ?? 'file').slice(0, 200)}] ${a.contentUrl}`);
}

/** The message's words, then its files: what the record keeps of it. */
export function recordText(content: string | undefined, contentType: string | undefined, attachments?: readonly MessageAttachment[], max = 4000): string {
  const text = [textOfHtml(content ?? '', contentType, true), ...attachmentLines(attachments)].filter(Boolean).join('\n');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
