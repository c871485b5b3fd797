import { expect } from 'chai';
import { describeEvent } from '../../models/incident/eventText.js';
import { SYSTEM, EVENT_KINDS, timelineEvent, type Actor, type TimelineEvent } from '../../models/incident/timeline.js';
import { EXPORT_FORMATS, exportTimeline, timelineCsv, timelineJson, timelineMarkdown } from '../../models/record/timelineExport.js';
import { incidentLabel } from '../../models/incident/incident.js';
import { sampleIncident } from '../helpers/fixtures.js';

const incident = sampleIncident();
const at = new Date('2026-05-01T12:34:56Z');
const event = (kind: TimelineEvent['kind'], payload: Record<string, unknown>, actor: Actor = { kind: 'user', id: '29:megan', name: 'Megan Bowen' }) =>
  timelineEvent(incident.id, kind, `${kind}-${JSON.stringify(payload)}`, { at, actor, payload });

describe('timeline text and exports', () => {
  it('describes every event kind in words, even with an empty payload', () => {
    for (const kind of EVENT_KINDS) {
      const text = describeEvent(event(kind, {}));
      expect(text, kind).to.be.a('string').and.not.equal('');
      expect(text, kind).not.to.match(/undefined|null|\[object/);
    }
  });

  it('says what changed, from the payloads the app records', () => {
    expect(describeEvent(event('status_changed', { from: 'triage', to: 'investigating' }))).to.equal('moved the status from triage to investigating');
    expect(describeEvent(event('role_assigned', { role: 'commander', person: { id: '29:a', name: 'Adele Vance' } }))).to.equal('made Adele Vance Incident Commander');
    expect(describeEvent(event('severity_changed', { from: 'P2', to: 'P1', reason: 'data loss' }))).to.equal('changed the severity from P2 to P1 because data loss');
    expect(describeEvent(event('note', { text: 'Rolled back 4.2.1' }))).to.equal('noted: Rolled back 4.2.1');
  });

  const awkward = [
    event('note', { text: 'a | pipe\nand a new line, "quotes", and \\ backslash' }),
    event('note', { text: '=HYPERLINK("http://evil.example","click")' }, { kind: 'user', id: '29:x', name: '+Mallory' }),
    event('note', { text: '<img src=x onerror=alert(1)>' }),
  ];

  it('keeps a Markdown table intact whatever people typed', () => {
    const md = timelineMarkdown({ ...incident, title: 'Pipes | in | title' }, awkward);
    const rows = md.split('\n').filter((line) => line.startsWith('| 2026'));
    expect(rows).to.have.length(3);
    expect(md).to.contain('# INC-42: Pipes \\| in \\| title');
    // Each row still has exactly three cells: every pipe in the text is escaped, new lines became <br>.
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|')).to.have.length(5);
    expect(rows[0]).to.contain('a \\| pipe<br>and a new line').and.contain('\\\\ backslash');
  });

  it('writes RFC 4180 CSV that a spreadsheet will not execute', () => {
    const csv = timelineCsv(awkward);
    expect(csv.endsWith('\r\n')).to.equal(true);
    const lines = csv.split('\r\n');
    expect(lines[0]).to.equal('time_utc,actor,kind,description');
    expect(lines[1]).to.equal('2026-05-01T12:34:56.000Z,Megan Bowen,note,"noted: a | pipe\nand a new line, ""quotes"", and \\ backslash"');
    // A cell starting with + or = is a formula to Excel/Sheets: it gets a leading apostrophe.
    expect(lines[2]).to.match(/^[^,]+,"'\+Mallory",note,/);
    expect(lines[2]).to.contain('"noted: =HYPERLINK(""http://evil.example"",""click"")"');
    const formula = timelineCsv([event('note', {}, { kind: 'user', id: '1', name: '=1+1' })]).split('\r\n')[1]!;
    expect(formula.split(',')[1]).to.equal(`"'=1+1"`);
  });

  it('exports JSON that parses back to the same events, with descriptions', () => {
    const parsed = JSON.parse(timelineJson(incident, awkward));
    expect(parsed.incident).to.deep.include({ id: incident.id, label: 'INC-42', severity: 'P1' });
    expect(parsed.events).to.have.length(3);
    expect(parsed.events[2]).to.deep.include({ kind: 'note', at: '2026-05-01T12:34:56.000Z', description: 'noted: <img src=x onerror=alert(1)>' });
    expect(parsed.events[0].payload.text).to.equal(awkward[0]!.payload.text);
  });

  it('streams exactly what the whole-file builders write, in chunks, and JSON exactly as JSON.stringify would', async () => {
    async function* from(list: readonly TimelineEvent[]) {
      yield* list;
    }
    const many = Array.from({ length: 3000 }, (_, n) => event('note', { text: `note ${n} ${'x'.repeat(40)}` }));
    for (const list of [[], awkward, many]) {
      const whole = { md: timelineMarkdown(incident, list), csv: timelineCsv(list), json: timelineJson(incident, list) };
      for (const format of EXPORT_FORMATS) {
        const chunks: string[] = [];
        for await (const chunk of exportTimeline(format, incident, from(list))) chunks.push(chunk);
        expect(chunks.join(''), `${format}, ${list.length} events`).to.equal(whole[format]);
        if (list === many) expect(chunks.length, format).to.be.above(2);
      }
      const before = {
        incident: { id: incident.id, label: incidentLabel(incident), title: incident.title, severity: incident.severity, status: incident.status },
        events: list.map((e) => ({ id: e.id, at: e.at.toISOString(), actor: e.actor, kind: e.kind, description: describeEvent(e), payload: e.payload })),
      };
      expect(whole.json).to.equal(JSON.stringify(before, null, 2));
    }
    expect(timelineMarkdown(incident, many).trimEnd().split('\n').at(-1)).to.equal('3000 events.');
  });

  it('describes the folded alert entry with its count and first and last times', () => {
    const folded = { folded: true, count: 312, title: 'Checkout 5xx', status: 'firing', firstSeen: new Date('2026-05-01T10:02:09Z'), lastSeen: new Date('2026-05-01T10:47:59Z') };
    expect(describeEvent(event('alert_received', folded))).to.equal('alert received ×312: Checkout 5xx (first 10:02, last 10:47 UTC)');
    expect(describeEvent(event('alert_received', { ...folded, status: 'resolved', firstSeen: '2026-05-01T10:02:09Z' }))).to.match(/first 10:02, .*the latest says resolved\)$/);
    expect(describeEvent(event('alert_received', { ...folded, count: 1 }))).to.equal('alert received: Checkout 5xx');
  });

  it('labels system events by their actor name', () => {
    const md = timelineMarkdown(incident, [event('channel_created', { name: 'inc-42-checkout' }, SYSTEM)]);
    // Cells are escaped Markdown: the hyphens read as typed.
    expect(md).to.contain('| incident\\-room | channel inc\\-42\\-checkout created |');
  });
});
