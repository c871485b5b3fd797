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
    expect(json).to.contain('\\\\[click me\\\\](https://evil.example)');
  });
});
