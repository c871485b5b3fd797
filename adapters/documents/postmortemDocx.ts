/**
 * The post-mortem document as a Word file (.docx, built with the `docx` library): real headings
 * (so Word's navigation pane and a table of contents find the sections), tables for the times,
 * the timeline, the causes and the action items, and links that open.
 */
import { Document, ExternalHyperlink, HeadingLevel, Packer, Paragraph, ShadingType, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { DocBlock, DocCell, PostmortemDocument } from '../../models/postmortem/postmortemDocument.js';
import type { PostmortemFiling } from '../../models/postmortem/postmortems.js';

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2 } as const;
/** Only web links become hyperlinks; anything else is shown as text. */
const isWebLink = (url: string) => /^https?:\/\//i.test(url);

function inline(value: DocCell, bold = false): (TextRun | ExternalHyperlink)[] {
  if (typeof value === 'string') {
    // Each typed line break is kept as a break in the run.
    return value.split('\n').map((line, n) => new TextRun({ text: line, bold, break: n > 0 ? 1 : 0 }));
  }
  if (!isWebLink(value.url)) return [new TextRun({ text: `${value.text}: ${value.url}`, bold })];
  return [new ExternalHyperlink({ link: value.url, children: [new TextRun({ text: value.text, style: 'Hyperlink', bold })] })];
}

function table(columns: readonly string[], rows: readonly (readonly DocCell[])[]): Table {
  const headed = columns.some((c) => c !== '');
  const row = (cells: readonly DocCell[], header: boolean) =>
    new TableRow({
      ...(header ? { tableHeader: true } : {}),
      children: cells.map(
        (value) =>
          new TableCell({
            children: [new Paragraph({ children: inline(value, header) })],
            ...(header ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'E8E8F0' } } : {}),
          }),
      ),
    });
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [...(headed ? [row(columns, true)] : []), ...rows.map((r) => row(r, false))] });
}

function block(b: DocBlock): (Paragraph | Table)[] {
  switch (b.kind) {
    case 'heading':
      return [new Paragraph({ heading: HEADINGS[b.level], children: [new TextRun(b.text)] })];
    case 'paragraph':
      return [new Paragraph({ children: b.empty ? [new TextRun({ text: b.text, italics: true })] : inline(b.text) })];
    case 'table':
      // A paragraph after each table keeps two tables (or a table and a heading) apart in Word.
      return [table(b.columns, b.rows), new Paragraph({})];
    case 'links':
      return b.links.map((l) => new Paragraph({ bullet: { level: 0 }, children: inline(l) }));
  }
}

export function postmortemDocx(doc: PostmortemDocument, author: string): Promise<Buffer> {
  const document = new Document({
    title: doc.title,
    creator: author,
    description: 'Blameless post-mortem exported from incident-room',
    sections: [{ children: doc.blocks.flatMap(block) }],
  });
  return Packer.toBuffer(document);
}

/** How publishing files a post-mortem (FILE_POSTMORTEMS): as this Word document. */
export const WORD_FILING: PostmortemFiling = { render: (doc) => postmortemDocx(doc, 'incident-room'), extension: 'docx', contentType: DOCX_TYPE };
