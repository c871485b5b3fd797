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
