/**
 * Typing happens in dialogs (Teams task modules), never on the card that refreshes under the
 * typist; the summary form saves only what each person changed, and a field someone else
 * changed meanwhile comes back to them with both values instead of being overwritten.
 */
import { expect } from 'chai';
import { cardText, LEE, MEGAN, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { cardProblems } from '../helpers/cards.js';

const FULL = {
  environment: 'Production',
  component: 'payments-api',
  probableCause: 'Deploy 2026.05.01-3',
  frequency: 'Every request since 14:02',
  type: 'Self',
  recoveryEstimate: '20 minutes',
  workingOnIt: 'Alex and Lee',
  currentAction: 'Rolling back',
  nextAction: 'Watch the error rate',
  topicLine: 'Checkout fails for card payments',
  sreOwner: 'Alex',
  devOwner: 'Lee',
  dataLoss: 'false',
};

/** The data a dialog's submit button carries, as the card built it (its base, the incident, the version). */
function submitData(dialogCard: any): Record<string, unknown> {
  return dialogCard.actions.find((a: any) => a.type === 'Action.Submit').data;
}

/** Every input of a dialog card with the value it opens with (what Teams would send untouched). */
function inputValues(card: any): Record<string, string> {
  const values: Record<string, string> = {};
  const walk = (node: any) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    if (typeof node.type === 'string' && node.type.startsWith('Input.') && node.id) values[node.id] = node.value ?? '';
    for (const value of Object.values(node)) walk(value);
  };
  walk(card.body);
  return values;
}

describe('dialogs from the incident card', () => {
  let room: IncidentRoom;
  beforeEach(async () => (room = await openIncidentRoom()));
  afterEach(() => room.close());

  const open = async (dialog: string, from = LEE) => {
    const incident = await room.incident();
    const answer = await room.dialog('task/fetch', { msteams: { type: 'task/fetch' }, dialog, incidentId: incident.id, v: incident.version }, { from });
    expect(answer.task?.type, JSON.stringify(answer)).to.equal('continue');
    const card = answer.task.value.card.content;
    expect(cardProblems(card), `${dialog} dialog`).to.deep.equal([]);
    return card;
  };

  it('the card opens every text entry as a dialog, not as inputs on itself', async () => {
    const card = (await room.click('refresh')).value;
    const json = JSON.stringify(card);
    expect(json, 'no text box on the card').not.to.contain('"Input.Text"');
    for (const dialog of ['update', 'summary', 'severity']) expect(json).to.contain(`"dialog":"${dialog}"`).and.contain('"task/fetch"');
  });

  it('an old summary form changes only what its person changed; a field changed by both comes back with both values', async () => {
    // Megan and Lee open the form at the same time.
    const megansForm = await open('summary', MEGAN);
    const leesForm = await open('summary', LEE);
    const megan = await room.dialog('task/submit', { ...submitData(megansForm), ...inputValues(megansForm), ...FULL }, { from: MEGAN });
    expect(megan.task.type, JSON.stringify(megan)).to.equal('message');
    // Lee, on the older form, fills only "Current action step".
    const lee = await room.dialog('task/submit', { ...submitData(leesForm), ...inputValues(leesForm), currentAction: 'Failing over to the second region' }, { from: LEE });
    let summary = (await room.incident()).summary!;
    expect(summary).to.include({ component: 'payments-api', probableCause: 'Deploy 2026.05.01-3', recoveryEstimate: '20 minutes', workingOnIt: 'Alex and Lee', nextAction: 'Watch the error rate' });
    // Both changed "Current action step": Megan's stays, Lee sees both and chooses.
    expect(summary.currentAction).to.equal('Rolling back');
    expect(lee.task.type, JSON.stringify(lee)).to.equal('continue');
    const conflictForm = lee.task.value.card.content;
    expect(cardProblems(conflictForm)).to.deep.equal([]);
    const shown = cardText(conflictForm);
    expect(shown).to.contain('**Current action step** was changed by someone else').and.contain('Now: “Rolling back”').and.contain('Yours: “Failing over to the second region”');
    expect(inputValues(conflictForm).currentAction, 'what Lee typed is still in the box').to.equal('Failing over to the second region');
    const choose = await room.dialog('task/submit', { ...submitData(conflictForm), ...inputValues(conflictForm), 'keep.currentAction': 'mine' }, { from: LEE });
    expect(choose.task.type, JSON.stringify(choose)).to.equal('message');
    summary = (await room.incident()).summary!;
    expect(summary.currentAction).to.equal('Failing over to the second region');
    expect(summary.component, 'choosing one field leaves the others').to.equal('payments-api');
    const events = (await room.t.app.database.store.listEvents((await room.incident()).id)).filter((e) => e.kind === 'summary_updated');
    expect(events.map((e) => e.actor.name)).to.deep.equal([MEGAN.name, LEE.name]);
  });

  it('keeping theirs saves nothing for that field and says so', async () => {
    const a = await open('summary', MEGAN);
    const b = await open('summary', LEE);
    await room.dialog('task/submit', { ...submitData(a), ...inputValues(a), probableCause: 'A bad certificate' }, { from: MEGAN });
    const lee = await room.dialog('task/submit', { ...submitData(b), ...inputValues(b), probableCause: 'DNS' }, { from: LEE });
    const form = lee.task.value.card.content;
    const keep = await room.dialog('task/submit', { ...submitData(form), ...inputValues(form), 'keep.probableCause': 'theirs' }, { from: LEE });
    expect(keep.task.type).to.equal('message');
    expect((await room.incident()).summary!.probableCause).to.equal('A bad certificate');
  });

  it('a posted update comes from the dialog once; an empty one comes back with the reason', async () => {
    const form = await open('update');
    const empty = await room.dialog('task/submit', { ...submitData(form), updateText: '   ' });
    expect(empty.task.type).to.equal('continue');
    expect(cardText(empty.task.value.card.content)).to.contain('Write the update first');
    const id = 'submit-once';
    const first = await room.dialog('task/submit', { ...submitData(form), updateText: 'Rolled back; error rate falling' }, { id });
    const retry = await room.dialog('task/submit', { ...submitData(form), updateText: 'Rolled back; error rate falling' }, { id });
    expect(first.task.type).to.equal('message');
    expect(retry.task.type).to.equal('message');
    const incident = await room.incident();
    expect(incident.lastUpdate?.text).to.equal('Rolled back; error rate falling');
    const posted = (await room.t.app.database.store.listEvents(incident.id)).filter((e) => e.kind === 'update_posted');
    expect(posted, 'a retried submit posts once').to.have.length(1);
  });

  it('a severity change from the dialog; refused, the form comes back with the reason the person typed', async () => {
    const form = await open('severity');
    const answer = await room.dialog('task/submit', { ...submitData(form), severityTo: 'P0', reason: 'Card payments fail for every customer' });
    expect(answer.task.type).to.equal('message');
    expect((await room.incident()).severity).to.equal('P0');
    const again = await room.dialog('task/submit', { ...submitData(form), severityTo: 'P0', reason: 'Still every customer' }, { from: MEGAN });
    expect(again.task.type, 'refused: the form again').to.equal('continue');
    expect(inputValues(again.task.value.card.content).reason).to.equal('Still every customer');
    expect(cardText(again.task.value.card.content)).to.contain('already P0');
  });

  it('a dialog from another channel or an unknown one changes nothing', async () => {
    const incident = await room.incident();
    const unknown = await room.dialog('task/fetch', { dialog: 'launchRockets', incidentId: incident.id });
    expect(unknown.task.type).to.equal('message');
    expect(unknown.task.value).to.contain('not one I know');
  });
});
