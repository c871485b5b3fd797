/**
 * Card verbs and their handlers agree: every verb a card can send has a handler (the type says
 * so, this checks the table built at run time), every verb a rendered card sends is one we know,
 * and every handler's verb is offered by some card.
 */
import { expect } from 'chai';
import { LEGACY_CARD_VERBS, CARD_VERBS } from '../../bot/cards/cardVerbs.js';
import { CARD_ACTION_NAMES } from '../../models/actions/actionTable.js';
import { verbTable } from '../../bot/verbs.js';
import type { DeclareFlow } from '../../bot/declareFlow.js';
import type { IncidentDesk } from '../../bot/incidentDesk.js';
import { CARD_STATES } from '../helpers/cardStates.js';

/** Every Action.Execute verb anywhere in a card (including show-cards, select actions and refresh). */
function verbsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) verbsIn(item, found);
  else if (value && typeof value === 'object') {
    const element = value as Record<string, unknown>;
    if (element.type === 'Action.Execute' && typeof element.verb === 'string') found.add(element.verb);
    for (const child of Object.values(element)) verbsIn(child, found);
  }
  return found;
}

describe('card verbs and the verb table', () => {
  const table = verbTable({ declare: {} as DeclareFlow, desk: {} as IncidentDesk });
  const known: string[] = [...Object.values(CARD_VERBS), ...CARD_ACTION_NAMES];
  const sent = new Set(CARD_STATES.flatMap(([, card]) => [...verbsIn(card)]));

  it('has a handler with a schema for every verb a card can send, and no handler for anything else', () => {
    expect(Object.keys(table).sort()).to.deep.equal([...known].sort());
    for (const verb of known) expect(table[verb as keyof typeof table].schema, verb).to.have.property('safeParse');
  });

  it('every verb a rendered card sends is a known verb', () => {
    expect(sent.size).to.be.greaterThan(10);
    for (const verb of sent) expect(known, `a card sends "${verb}"`).to.include(verb);
  });

  it('every known verb is offered by some card (or is kept for cards posted before dialogs)', () => {
    for (const verb of known) if (!Object.hasOwn(LEGACY_CARD_VERBS, verb)) expect([...sent], `no card offers "${verb}"`).to.include(verb);
    for (const verb of Object.keys(LEGACY_CARD_VERBS)) expect([...sent], `"${verb}" is offered again: not legacy`).not.to.include(verb);
  });
});
