import { expect } from 'chai';
import { draftPostmortem, type PostmortemContent } from '../../models/postmortem/postmortem.js';
import { postmortemDocument, type DocBlock } from '../../models/postmortem/postmortemDocument.js';
import { postmortemMarkdown } from '../../models/postmortem/postmortemMarkdown.js';
import { sampleIncident } from '../helpers/fixtures.js';

const incident = sampleIncident({ title: 'Checkout [fails](https://evil.example) | for some', roles: { commander: { id: '29:ic', name: 'Alex Wilber' }, smes: [{ id: '29:s', name: 'Lee Gu' }] } });
const content: PostmortemContent = {
  ...draftPostmortem(incident, []),
  description: 'Orders stuck.\n\nA deploy changed the queue name.',
  timeline: ['2026-05-01 12:00 UTC — Alex Wilber — declared the incident as P1', 'Note from the author: the rollback took two tries', '2026-05-01 12:20 UTC — Lee Gu — rolled back'].join('\n'),
  rootCauses: [{ id: 'cause-1', description: 'Queue name changed | without alias', type: 'configuration' }],
  actionItems: [
    { id: 'action-1', description: 'Alias the old queue name', owner: 'Lee Gu', due: '2026-05-08', kind: 'proper fix', link: 'https://tracker.example/ISSUE-1', done: false },
    { id: 'action-2', description: 'Alert on queue depth', owner: '', due: '', kind: 'hotfix', link: '', done: true },
  ],
};
const doc = postmortemDocument({ incident, version: 3, content, savedAt: new Date('2026-05-02T09:00:00Z'), savedBy: { id: '29:ic', name: 'Alex Wilber' }, published: true, links: { tab: 'https://teams.example/tab', channel: 'https://teams.example/channel' } });
const headings = (blocks: readonly DocBlock[]) => blocks.flatMap((b) => (b.kind === 'heading' ? [b.text] : []));

describe('the post-mortem as a document', () => {
  it('follows the form: every section under its own name, in the form’s order, with the gaps shown', () => {
    expect(headings(doc.blocks)).to.deep.equal([
      `INC-42 post-mortem: ${incident.title}`,
      'Times', 'What happened', 'How it showed itself', 'Who was affected', 'Impact', 'Timeline', 'Contributing causes', 'What went well', 'What went badly', 'Action items', 'Links',
    ]);
    expect(doc.fileName).to.equal('INC-42-postmortem-v3');
    // A section nobody wrote says so, rather than vanishing from the document.
    const wentWell = doc.blocks[doc.blocks.findIndex((b) => b.kind === 'heading' && b.text === 'What went well') + 1];
    expect(wentWell).to.deep.equal({ kind: 'paragraph', text: 'Not written yet.', empty: true });
    const about = doc.blocks[1] as Extract<DocBlock, { kind: 'table' }>;
    expect(about.rows).to.deep.include(['Incident Commander', 'Alex Wilber']).and.deep.include(['Subject matter experts', 'Lee Gu']);
    expect(about.rows.at(-1)).to.deep.equal(['Post-mortem', 'version 3, saved 2026-05-02 09:00 UTC by Alex Wilber; published']);
  });

  it('turns the pre-filled timeline into a table, keeping the lines the author added between them', () => {
    const start = doc.blocks.findIndex((b) => b.kind === 'heading' && b.text === 'Timeline');
    const [first, note, second] = doc.blocks.slice(start + 1, start + 4);
    expect(first).to.deep.equal({ kind: 'table', columns: ['Time', 'Who', 'What'], rows: [['2026-05-01 12:00 UTC', 'Alex Wilber', 'declared the incident as P1']] });
    expect(note).to.deep.equal({ kind: 'paragraph', text: 'Note from the author: the rollback took two tries' });
    expect((second as Extract<DocBlock, { kind: 'table' }>).rows).to.deep.equal([['2026-05-01 12:20 UTC', 'Lee Gu', 'rolled back']]);
  });

  it('lists action items with owner, due date, state and the tracker link', () => {
    const start = doc.blocks.findIndex((b) => b.kind === 'heading' && b.text === 'Action items');
    const table = doc.blocks[start + 1] as Extract<DocBlock, { kind: 'table' }>;
    expect(table.columns).to.deep.equal(['Action', 'Owner', 'Due', 'Kind', 'State', 'Tracker']);
    expect(table.rows[0]).to.deep.equal(['Alias the old queue name', 'Lee Gu', '2026-05-08', 'proper fix', 'open', { text: 'tracker', url: 'https://tracker.example/ISSUE-1' }]);
    expect(table.rows[1]).to.deep.equal(['Alert on queue depth', 'nobody yet', 'no date', 'hotfix', 'done', '']);
  });

  it('names the draft before any save as the draft', () => {
    const draft = postmortemDocument({ incident, version: 0, content, published: false, links: {} });
    expect(draft.fileName).to.equal('INC-42-postmortem-draft');
    expect(headings(draft.blocks)).not.to.include('Links');
    expect((draft.blocks[1] as Extract<DocBlock, { kind: 'table' }>).rows.at(-1)).to.deep.equal(['Post-mortem', 'the draft pre-filled from the record, not saved yet']);
  });

  describe('in Markdown', () => {
    const markdown = postmortemMarkdown(doc);

    it('has headings and tables a Markdown viewer shows as such', () => {
      expect(markdown).to.match(/^# INC\\-42 post\\-mortem/);
      expect(markdown).to.contain('\n## Timeline\n\n| Time | Who | What |\n|---|---|---|\n| 2026\\-05\\-01 12\\:00 UTC | Alex Wilber | declared the incident as P1 |');
      expect(markdown).to.contain('| Alias the old queue name | Lee Gu | 2026\\-05\\-08 | proper fix | open | [tracker](https://tracker.example/ISSUE-1) |');
      expect(markdown).to.contain('- [The post\\-mortem in Teams \\(the incident tab\\)](https://teams.example/tab)');
      expect(markdown).to.contain('_Not written yet\\._');
    });

    it('keeps people’s words as typed: a link in a title stays text, a pipe does not split a table cell', () => {
      expect(markdown).not.to.contain('](https://evil.example)');
      expect(markdown).to.contain('Checkout \\[fails\\]\\(https\\:');
      expect(markdown).to.contain('| 1 | Queue name changed \\| without alias | configuration |');
      // Every table row has as many cells as its header.
      for (const table of markdown.split('\n\n').filter((part) => part.startsWith('|'))) {
        const widths = table.split('\n').map((row) => row.split(/(?<!\\)\|/).length);
        expect(new Set(widths).size, table).to.equal(1);
      }
    });

    it('shows a link that is not a web link as text, never as a link', () => {
      const odd = postmortemMarkdown(postmortemDocument({ incident, version: 1, content: { ...content, actionItems: [{ ...content.actionItems[0]!, link: '' }] }, published: false, links: { tab: 'javascript:alert(1)' } }));
      expect(odd).not.to.match(/\]\(javascript/);
      expect(odd).to.contain('javascript\\:alert\\(1\\)');
    });
  });
});
