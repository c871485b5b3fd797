import { expect } from 'chai';
import { incidentCard } from '../bot/cards/incidentCard.js';
import { cardProblems } from './helpers/cards.js';
import { base, CARD_STATES, ctx } from './helpers/cardStates.js';

describe('cards are valid Adaptive Cards for Teams (schema ≤ 1.5, < 100 KB, parser-clean)', () => {
  for (const [name, card] of CARD_STATES) {
    it(name, () => expect(cardProblems(card)).to.deep.equal([]));
  }

  it('the checker catches what Teams would reject', () => {
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.6', body: [] }).join()).to.contain('above what Teams renders');
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.Text', id: 'a' }, { type: 'Input.Text', id: 'a' }] }).join()).to.match(/validate/i);
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Blink' }] }).join()).to.match(/parse/);
  });

  it('user text cannot become links or formatting on the card', () => {
    const json = JSON.stringify(incidentCard({ ...base, title: '[click me](https://evil.example)' }, ctx));
    // Every piece of Markdown syntax escaped, the colon and dot too (no autolink); test/security/markdownEscaping.test.ts sweeps every builder.
    expect(json).to.contain('\\\\[click me\\\\]\\\\(https\\\\://evil\\\\.example\\\\)');
  });

  it('names the people to auto-refresh for (Teams ids only, at most 60), and offers Refresh to everyone else', () => {
    const person = (n: number) => ({ id: `29:p${n}`, name: `P${n}` });
    const incident = {
      ...base,
      roles: { commander: person(1), scribe: { id: 'aad:00000000-0000-0000-0000-000000000009', name: 'From the tab', aadObjectId: '00000000-0000-0000-0000-000000000009' }, smes: [person(2)] },
      paging: { level: 0, label: 'primary', people: [person(3)], at: base.milestones.declared },
      followers: Array.from({ length: 80 }, (_, i) => person(100 + i)),
    };
    const card = incidentCard(incident, ctx) as { refresh: { userIds: string[] } };
    expect(card.refresh.userIds.slice(0, 3)).to.deep.equal(['29:p1', '29:p2', '29:p3']);
    expect(card.refresh.userIds).to.have.length(60);
    expect(card.refresh.userIds.every((id) => id.startsWith('29:'))).to.equal(true);
    expect(JSON.stringify(card)).to.contain('"title":"Refresh this card"').and.contain('Open since {{DATE(');
  });
});

describe('the incident card reads at a glance', () => {
  const running = CARD_STATES.find(([name]) => name.startsWith('incident card, running'))![1] as any;
  /** What shows before Details is pressed: the body without hidden elements, as text. */
  const firstScreen = (card: any) => JSON.stringify(card.body.filter((e: any) => e.isVisible !== false));
  const titles = (card: any) => (card.actions as any[]).map((a) => a.title);

  it('shows severity, status, age, commander, the last update and when the next is due first; the rest behind Details', () => {
    const shown = firstScreen(running);
    expect(shown).to.contain('INC\\\\-42 · P').and.contain('IDENTIFIED').and.contain('Open since').and.contain('Commander').and.contain('Last update');
    for (const hidden of ['Status summary', 'Probable cause', 'Communications lead', 'Join the bridge', 'Checklist', 'Topic:']) expect(shown, hidden).not.to.contain(hidden);
    const details = running.body.find((e: any) => e.id === 'details');
    expect(details.isVisible).to.equal(false);
    expect(JSON.stringify(details)).to.contain('Status summary').and.contain('Join the bridge').and.contain('Communications lead');
    expect(titles(running)).to.include('Details');
    const toggle = running.actions.find((a: any) => a.title === 'Details');
    expect(toggle).to.deep.include({ type: 'Action.ToggleVisibility', targetElements: ['details'] });
    // A handful of rows, not ~25: header, commander/update facts, the update's text.
    expect(running.body.filter((e: any) => e.isVisible !== false).length).to.be.at.most(6);
  });

  it('offers the three actions that matter now for each status, then Details and More', () => {
    const at = (status: string, fields: object = {}) => titles(incidentCard({ ...base, status, ...fields } as any, ctx));
    expect(at('triage')).to.deep.equal(['Acknowledge', 'Become IC', 'Start investigating', 'Details', 'More']);
    const commanded = { roles: { commander: { id: '29:a', name: 'Alex' }, smes: [] }, milestones: { ...base.milestones, acknowledged: base.milestones.declared } };
    expect(at('investigating', commanded)).to.deep.equal(['Post update', 'Write summary', 'Cause identified', 'Details', 'More']);
    expect(at('monitoring', commanded)).to.deep.equal(['Post update', 'Resolve', 'Back to investigating', 'Details', 'More']);
    expect(at('resolved', commanded).slice(0, 2)).to.deep.equal(['Close', 'Reopen']);
  });

  it('a resolved or closed card is visibly done: neutral header, a tick, no alarm colour', () => {
    for (const status of ['resolved', 'closed'] as const) {
      const card = incidentCard({ ...base, severity: 'P1', status, milestones: { ...base.milestones, resolved: base.milestones.declared } }, ctx) as any;
      const header = card.body[0];
      expect(header.style, status).to.equal('emphasis');
      expect(JSON.stringify(header)).to.contain(`✓ ${status.toUpperCase()}`);
    }
    expect((incidentCard({ ...base, severity: 'P1' }, ctx) as any).body[0].style).to.equal('warning');
  });

  it('says when the next update is due, and when it is overdue', () => {
    const due = JSON.stringify(incidentCard(base, { ...ctx, updateEveryMinutes: 10 }));
    expect(due).to.contain('Next update due');
    const late = JSON.stringify(incidentCard(base, { ...ctx, updateEveryMinutes: 10, now: new Date(base.milestones.declared.getTime() + 11 * 60_000) }));
    expect(late).to.contain('overdue');
  });
});
