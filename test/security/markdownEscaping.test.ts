/**
 * Security issue, item 4: people's words reached the on-call engineer's page, followers' chats,
 * the "Which incident?" hint, the welcome card, the activity-feed fallback and the Markdown
 * export as Markdown, so a title `[Re-authenticate your SSO here](https://evil.example/login)`
 * was a link the bot seemed to vouch for. The rule: user text enters Markdown only through
 * models/support/markdown.ts (md`…`, which escapes). This sweep runs every builder of bot
 * Markdown (test/helpers/markdownBuilders.ts) with hostile and with plain words and reads the
 * output with markdown-it; the enumeration checks make a builder without a row fail.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { escapeMarkdown, md, mdJoin, mdLink, Markdown, trustedMarkdown } from '../../models/support/markdown.js';
import { BUILDER_ROWS } from '../helpers/markdownBuilders.js';
import { BENIGN, collapse, HOSTILE, markdownTexts, MARKUP, read } from '../helpers/markdownSweep.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PRODUCT = ['bot', 'models', 'adapters', 'http', 'tab', 'local', 'admin', 'server.ts'];
const files = (path: string): string[] =>
  statSync(join(ROOT, path)).isDirectory() ? readdirSync(join(ROOT, path)).flatMap((f) => files(join(path, f))) : /\.tsx?$/.test(path) ? [path] : [];
const productFiles = PRODUCT.flatMap(files).filter((f) => !f.includes('vendor'));
const source = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** Exports of bot/cards/ that make no bot text themselves (the card frame, button data, choices). */
const CARD_HELPERS: Readonly<Record<string, string>> = {
  adaptiveCard: 'the card frame: its body comes from text()/factSet()',
  factSet: 'holds facts made by fact(), which has a row',
  teamsDateTime: 'Teams date functions from a Date, no words',
  severityChoices: 'Input.ChoiceSet titles: plain text, not Markdown',
  elapsed: 'a duration from two dates',
  refreshUserIds: 'Teams ids',
  actionData: 'button data',
  execute: 'an Action.Execute button: its title is plain text, not Markdown',
  openDialog: 'an Action.Submit that opens a dialog: its title is plain text',
  submitDialog: 'a dialog\'s submit button: its title is plain text',
};

/** Files that use the Markdown type without building text of their own. */
const SINKS_ONLY: Readonly<Record<string, string>> = {
  'models/support/markdown.ts': 'the escaping itself (tested below)',
  'models/ports/messenger.ts': 'the Messenger port: takes Markdown',
  'bot/turn.ts': 'BotTurn.reply: takes Markdown',
  'bot/incidentBot.ts': 'sends turn.reply as Teams text; its help openings are a constant and welcomeOpening (row)',
};

/** Where Markdown may be written unescaped: never people's words (a new call site fails here until reviewed). */
const TRUSTED_CALLS: Readonly<Record<string, number>> = {
  'bot/cards/common.ts': 2, // teamsDateTime (Teams functions of a Date) and tenantText (the tenant admin's card texts)
};

describe('Markdown from people never becomes markup in what the bot writes (security issue, item 4)', function () {
  this.timeout(60_000);

  for (const row of BUILDER_ROWS) {
    it(`${row.source}: ${row.name}`, async () => {
      const hostileTexts = markdownTexts(await row.build(HOSTILE));
      const benign = read(markdownTexts(await row.build(BENIGN)));
      const hostile = read(hostileTexts);
      expect(hostileTexts, 'the builder wrote something').not.to.deep.equal([]);
      // The same markup as with plain words: none from the words (links, images, headings, mentions as HTML, emphasis, code, lists, tables).
      for (const kind of MARKUP) expect(hostile.counts[kind], `${kind} tokens`).to.equal(benign.counts[kind]);
      expect(hostile.addresses.filter((a) => /evil|javascript/i.test(a)), 'links to what people typed').to.deep.equal([]);
      for (const raw of hostileTexts) {
        expect(raw, 'a mention tag Teams would act on').not.to.match(/<at>\s*everyone/i);
        expect(raw, 'a Teams date function from the words').not.to.contain('{{DATE(2026-01-01');
      }
      // Escaped, not stripped: a person reads exactly what was typed.
      expect(hostile.text, 'the words as typed').to.contain(collapse((row.shows ?? ((s) => s))(HOSTILE)));
    });
  }

  it('has a row for every export of bot/cards/ (or says why it makes no text)', async () => {
    const exported: string[] = [];
    for (const file of files('bot/cards')) {
      const module = (await import(join(ROOT, file))) as Record<string, unknown>;
      exported.push(...Object.entries(module).filter(([, v]) => typeof v === 'function').map(([name]) => name));
    }
    const named = new Set(BUILDER_ROWS.filter((r) => r.source.startsWith('bot/cards/')).map((r) => r.name));
    expect(exported.filter((name) => !named.has(name) && !Object.hasOwn(CARD_HELPERS, name)), 'exports of bot/cards/ without a row').to.deep.equal([]);
    expect([...named].filter((name) => !exported.includes(name)), 'rows naming no export').to.deep.equal([]);
  });

  it('has a row for every file that writes Markdown (every file using models/support/markdown.ts)', () => {
    const writers = productFiles.filter((f) => /support\/markdown\.js'/.test(source(f)));
    const covered = new Set([...BUILDER_ROWS.map((r) => r.source), ...Object.keys(SINKS_ONLY)]);
    expect(writers.filter((f) => !covered.has(f)), 'files writing Markdown without a row').to.deep.equal([]);
    expect([...covered].filter((f) => !productFiles.includes(f)), 'rows naming a file that does not exist').to.deep.equal([]);
  });

  it('writes unescaped Markdown only where it is reviewed: the tenant admin’s texts and Teams dates', () => {
    const calls = Object.fromEntries(productFiles.map((f) => [f, (source(f).match(/\btrustedMarkdown\(/g) ?? []).length] as const).filter(([f, n]) => n > 0 && f !== 'models/support/markdown.ts'));
    expect(calls).to.deep.equal(TRUSTED_CALLS);
  });

  it('builds every TextBlock and fact in one place (bot/cards/common.ts), so none skips the escaping', () => {
    const byHand = productFiles.filter((f) => !f.startsWith('local/') && f !== 'bot/cards/common.ts' && /'(TextBlock|FactSet|RichTextBlock|TextRun)'|\bfacts:\s*\[/.test(source(f)));
    expect(byHand).to.deep.equal([]);
  });

  it('every bot text port takes Markdown: a plain string does not type-check', () => {
    const ports = source('models/ports/messenger.ts');
    for (const method of ['postUpdateInChannel', 'replyInBroadcast', 'sendPersonal', 'postNotice']) expect(ports).to.match(new RegExp(`${method}\\([^)]*text: Markdown`));
    expect(source('bot/turn.ts')).to.match(/readonly text\?: Markdown;/);
  });
});

describe('models/support/markdown.ts', () => {
  it('escapes every character Teams, Adaptive Cards or a Markdown viewer might read as syntax, and loses none', () => {
    const typed = '\\ * _ [ ] ( ) # + - . ! ` ~ > | < { } : = &';
    expect(escapeMarkdown(typed)).to.equal(typed.replace(/[^ ]/g, (c) => `\\${c}`));
    expect(read([escapeMarkdown(HOSTILE)]).text).to.equal(collapse(HOSTILE));
    expect(escapeMarkdown('Checkout API returns 500s')).to.equal('Checkout API returns 500s');
  });

  it('breaks autolinks: a typed address reads as typed but is not clickable (the colon and dots are escaped)', () => {
    const typed = 'see https://evil.example/login or www.evil.example or evil.example/x or mail me@evil.example';
    const reading = read([String(md`${typed}`)]);
    expect(reading.addresses).to.deep.equal([]);
    expect(reading.text).to.equal(typed);
  });

  it('md escapes plain values, keeps Markdown values and its own literals; unescaped keeps the words for the timeline', () => {
    const title = '**x** [y](https://evil.example)';
    const line = md`**INC-1**: ${title} by ${md`_${'Ann_B'}_`} (${42})`;
    expect(line).to.be.instanceOf(Markdown);
    expect(String(line)).to.equal('**INC-1**: \\*\\*x\\*\\* \\[y\\]\\(https\\://evil\\.example\\) by _Ann\\_B_ (42)');
    expect(line.unescaped).to.equal(`**INC-1**: ${title} by _Ann_B_ (42)`);
    expect(JSON.stringify({ text: line })).to.equal(JSON.stringify({ text: String(line) }));
    expect(String(mdJoin([md`a`, md`${'-b'}`], md`, `))).to.equal('a, \\-b');
  });

  it('makes links only to http(s) addresses, with what would end the link encoded, and escapes the label', () => {
    expect(String(mdLink('[channel]', 'https://teams.example/l/x(y)'))).to.equal('[\\[channel\\]](https://teams.example/l/x%28y%29)');
    expect(String(mdLink('click', 'javascript:alert(1)'))).to.equal('click');
    expect(read([String(mdLink('a b', 'https://x.example/ a'))]).addresses).to.deep.equal([]);
  });

  it('cannot be made from a string except by md or trustedMarkdown', () => {
    expect(() => Markdown.make('**x**', '**x**', Symbol('markdown'))).to.throw(TypeError);
    expect(String(trustedMarkdown('[Runbook](https://wiki.example.com)'))).to.equal('[Runbook](https://wiki.example.com)');
  });
});
