import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { expect } from 'chai';
import mammoth from 'mammoth';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';

const SHOTS = 'test-artifacts/postmortem-document';

/**
 * The post-mortem leaves the app as a Word file and as Markdown, through the tab API: the .docx
 * is opened again (parsed back to HTML by mammoth, as a reader of Word files would), its headings,
 * tables and links checked, and a page of it rendered and photographed.
 */
describe('the post-mortem as a Word document and as Markdown', function () {
  this.timeout(90_000);
  let room: IncidentRoom;
  let browser: Browser;
  let headers: Record<string, string>;
  let base: string;

  before(async function () {
    browser = await launchBrowser(this);
    mkdirSync(SHOTS, { recursive: true });
  });
  after(() => browser?.close());
  beforeEach(async () => {
    room = await openIncidentRoom();
    const incident = await room.incident();
    headers = await signedInAs(room.t.app);
    base = `${room.t.app.url}/tab/api/incidents/${incident.id}`;
    const api = tabApi(room.t.app.url, incident.id, headers);
    const draft = (await api.get('/postmortem')).body.content;
    const saved = await api.put('/postmortem', {
      baseVersion: 0,
      key: randomUUID(),
      content: {
        ...draft,
        description: 'Checkout failed for 1 in 8 orders.\n\nA configuration push renamed the payments queue.',
        wentWell: 'Rollback took 4 minutes once the cause was known.',
        rootCauses: [{ id: 'queue', description: 'The queue name changed without an alias', type: 'configuration' }],
        actionItems: [
          { id: 'alias', description: 'Keep an alias for renamed queues', owner: 'Lee Gu', due: '2026-12-09', kind: 'proper fix', link: 'https://tracker.example/OPS-12', done: false },
          { id: 'alert', description: 'Alert on queue depth', owner: 'Megan Bowen', due: '', kind: 'hotfix', link: '', done: true },
        ],
      },
    });
    expect(saved.status).to.equal(200);
  });
  afterEach(() => room.close());

  it('downloads as a Word file with the sections as headings, tables for times, causes and action items, and working links', async () => {
    const answer = await fetch(`${base}/postmortem/export/docx`, { headers });
    expect(answer.status).to.equal(200);
    expect(answer.headers.get('content-type')).to.equal('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(answer.headers.get('content-disposition')).to.equal('attachment; filename="INC-1-postmortem-v1.docx"');
    const buffer = Buffer.from(await answer.arrayBuffer());
    expect(buffer.subarray(0, 2).toString()).to.equal('PK'); // a .docx is a zip package

    const { value: html, messages } = await mammoth.convertToHtml({ buffer });
    expect(messages.filter((m) => m.type === 'error')).to.deep.equal([]);
    const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    await page.setContent(`<!doctype html><meta charset="utf-8"><style>
      body{font:14px 'DejaVu Sans',sans-serif;margin:32px 48px;color:#222} h1{font-size:22px} h2{font-size:17px;margin-top:22px;border-bottom:1px solid #ccc}
      table{border-collapse:collapse;width:100%} td,th{border:1px solid #bbb;padding:4px 6px;text-align:left;vertical-align:top} a{color:#3a4fc1}</style>${html}`);
    const h1 = await page.locator('h1').allTextContents();
    expect(h1).to.deep.equal(['INC-1 post-mortem: Checkout API returns 500s']);
    expect(await page.locator('h2').allTextContents()).to.deep.equal([
      'Times', 'What happened', 'How it showed itself', 'Who was affected', 'Impact', 'Timeline', 'Contributing causes', 'What went well', 'What went badly', 'Action items', 'Links',
    ]);
    // Each table under its heading: the header row, then a row per item.
    const tableAfter = (heading: string) => page.locator(`h2:text-is("${heading}") ~ table`).first();
    const rows = async (heading: string) => (await tableAfter(heading).locator('tr').all()).length;
    expect(await tableAfter('Times').locator('tr').first().textContent()).to.equal('MilestoneTimeSince impact began');
    expect(await rows('Contributing causes')).to.equal(2);
    expect(await rows('Action items')).to.equal(3);
    expect(await tableAfter('Action items').locator('tr').nth(1).locator('td').allTextContents()).to.deep.equal(['Keep an alias for renamed queues', 'Lee Gu', '2026-12-09', 'proper fix', 'open', 'tracker']);
    expect(await page.locator('a', { hasText: 'tracker' }).getAttribute('href')).to.equal('https://tracker.example/OPS-12');
    expect(await page.locator('a', { hasText: 'The post-mortem in Teams' }).count()).to.equal(1);
    // Two paragraphs typed with a blank line between them stay two paragraphs.
    expect(await page.locator('h2:text-is("What happened") + p + p').textContent()).to.equal('A configuration push renamed the payments queue.');
    await page.screenshot({ path: `${SHOTS}/1-word-document.png`, fullPage: true });
    await page.close();
  });

  it('downloads as Markdown with the same sections; asks for a format it has, and a version that exists', async () => {
    const answer = await fetch(`${base}/postmortem/export/md?version=1`, { headers });
    expect(answer.headers.get('content-type')).to.equal('text/markdown; charset=utf-8');
    const markdown = await answer.text();
    expect(markdown.split('\n').filter((l) => l.startsWith('## '))).to.have.length(11);
    expect(markdown).to.contain('| Keep an alias for renamed queues | Lee Gu | 2026\\-12\\-09 | proper fix | open | [tracker](https://tracker.example/OPS-12) |');

    const pdf = await fetch(`${base}/postmortem/export/pdf`, { headers });
    expect(pdf.status).to.equal(400);
    expect(((await pdf.json()) as { problems: { message: string }[] }).problems[0]!.message).to.contain('docx (Word) or md (Markdown)');
    const missing = await fetch(`${base}/postmortem/export/docx?version=7`, { headers });
    expect(missing.status).to.equal(404);
    expect(((await missing.json()) as { error: string }).error).to.equal('There is no saved version 7 of this post-mortem.');
    // Without a sign-in, nothing.
    expect((await fetch(`${base}/postmortem/export/docx`)).status).to.equal(401);
  });
});
