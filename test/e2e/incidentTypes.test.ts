import { expect } from 'chai';
import { cardProblems } from '../helpers/cards.js';
import { asRead, cardText } from '../helpers/incidentRoom.js';
import { MEGAN } from '../helpers/people.js';
import { eventually, provisioned, startTestApp, TENANT, toBot, type TestApp } from '../helpers/testApp.js';
import { mentionOf } from '../../local/teamsActivities.js';
import { describeEvent } from '../../models/incident/eventText.js';

const repliesIn = (t: TestApp) => t.local.world.activitiesIn('19:general@thread.tacv2');
const inputsOf = (card: any): Record<string, any> => {
  const all: any[] = [];
  const walk = (items: any[]) => items.forEach((e) => (e.id ? all.push(e) : e.items && walk(e.items)));
  walk(card.body);
  return Object.fromEntries(all.map((e) => [e.id, e]));
};

describe('declaring an incident of a type, with its fields (chat, form, message extension)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('`declare … --type security --field …` stores the type and fields, with the type\'s severity', async () => {
    await t.message('declare Admin account phished --type Security --field vector=phishing --field "systems=vpn, mail"');
    const [incident] = await provisioned(t);
    expect(incident).to.include({ type: 'security', severity: 'P1', title: 'Admin account phished' });
    expect(incident!.fields).to.deep.equal({ vector: 'Phishing', systems: 'vpn, mail' });
    const [declared] = (await t.app.database.store.listEvents(incident!.id)).filter((e) => e.kind === 'declared');
    expect(describeEvent(declared!)).to.equal('declared the incident as P1 (Security): Admin account phished');
  });

  it('a person field takes an @mention in chat', async () => {
    const bot = toBot('declare Export leaked --type data-incident --field privacy-officer=<at>Megan Bowen</at> --field records=1,200');
    await t.send({ type: 'message', ...bot, entities: [...bot.entities, mentionOf(MEGAN)] });
    const [incident] = await provisioned(t);
    expect(incident!.fields).to.deep.equal({ records: 1200, 'privacy-officer': { id: MEGAN.id, name: MEGAN.name } });
  });

  it('an unknown type or a bad value is refused naming the valid ones, echoing what was typed; nothing is created', async () => {
    await t.message('declare Disk full --type securty');
    await t.message('declare Rows lost --type data-incident --field records=many');
    const replies = await eventually(() => (repliesIn(t).length >= 2 ? repliesIn(t) : undefined));
    const [first, second] = replies.map((r) => asRead(r.text ?? ''));
    expect(first).to.contain('unknown type "securty"').and.contain('security (Security)').and.contain('internal-tooling (Internal tooling)').and.contain('nothing was created');
    expect(first).to.contain('You typed: “declare Disk full --type securty”');
    expect(second).to.contain('Records affected must be a number').and.contain('you wrote “many”').and.contain('declare Rows lost --type data-incident --field records=many');
    await t.app.runner.drain();
    expect(await t.incidents()).to.have.length(0);
  });

  it('the form offers the types and the chosen type\'s fields; choosing another type shows its fields first, values kept', async () => {
    await t.message('declare');
    const [form] = await eventually(() => (repliesIn(t).length ? repliesIn(t) : undefined));
    const card = form!.attachments![0]!.content as any;
    expect(cardProblems(card)).to.deep.equal([]);
    const inputs = inputsOf(card);
    expect(inputs.type.choices.map((c: any) => c.value)).to.deep.equal(['service-outage', 'security', 'data-incident', 'internal-tooling']);
    expect(inputs.type.value).to.equal('service-outage');
    expect(card.actions[0].data).to.deep.equal({ shownType: 'service-outage' });

    const switched = await t.invoke('declare', { ...card.actions[0].data, title: 'Customer export leaked', type: 'data-incident', severity: '' }, { replyToId: form!.id });
    const again = switched.body.value;
    expect(cardProblems(again)).to.deep.equal([]);
    expect(cardText(again)).to.contain('Data incident has details of its own');
    const fields = inputsOf(again);
    expect(fields.title.value).to.equal('Customer export leaked');
    expect(fields['field-records']).to.include({ type: 'Input.Text' });
    expect(fields['field-data-kind'].choices.map((c: any) => c.value)).to.include('Personal data');
    expect(fields['field-privacy-officer']['choices.data']).to.deep.equal({ type: 'Data.Query', dataset: 'graph.microsoft.com/users' });
    expect(await t.incidents()).to.have.length(0);

    const bad = await t.invoke('declare', { ...again.actions[0].data, title: 'Customer export leaked', type: 'data-incident', 'field-records': '12,5' }, { replyToId: form!.id });
    expect(cardText(bad.body.value)).to.contain('use a point for decimals');
    expect(inputsOf(bad.body.value)['field-records'].value).to.equal('12,5');
    expect(await t.incidents()).to.have.length(0);

    const declared = await t.invoke('declare', { ...again.actions[0].data, title: 'Customer export leaked', type: 'data-incident', 'field-records': '1200', 'field-data-kind': 'Personal data', 'field-privacy-officer': MEGAN.id }, { replyToId: form!.id });
    expect(cardText(declared.body.value)).to.contain('INC-1');
    const [incident] = await provisioned(t);
    expect(incident).to.include({ type: 'data-incident', severity: 'P1' });
    expect(incident!.fields).to.deep.include({ records: 1200, 'data-kind': 'Personal data' });
    expect((incident!.fields!['privacy-officer'] as { name: string }).name).to.equal(MEGAN.name);
  });

  it('switching away from a type whose fields were filled in says back what was written for them', async () => {
    const shown = await t.invoke('declare', { shownType: 'service-outage', title: 'Phished', type: 'security', severity: '' });
    const security = shown.body.value;
    const switched = await t.invoke('declare', { ...security.actions[0].data, title: 'Phished', type: 'service-outage', 'field-vector': 'Phishing', severity: '' });
    const text = asRead(cardText(switched.body.value));
    expect(text).to.contain('Service outage has no details of its own: press Declare again. You wrote for Security: Attack vector: Phishing. Nothing was created yet.');
    expect(await t.incidents()).to.have.length(0);
    await t.invoke('declare', { ...switched.body.value.actions[0].data, title: 'Phished', type: 'service-outage', severity: '' });
    const [incident] = await provisioned(t);
    expect(incident).to.include({ type: 'service-outage', severity: 'P2' });
    expect(incident).not.to.have.property('fields');
  });

  it('the message extension\'s dialog offers the types and declares with the fields', async () => {
    const CHAT = '19:8f2c1d0e4b7a4c3e9d1f2a3b4c5d6e7f@thread.v2';
    const message = { id: '1732350000999', linkToMessage: `https://teams.microsoft.com/l/message/${CHAT}/1732350000999`, from: { user: { id: 'u1', displayName: 'Megan Bowen' } }, body: { contentType: 'text', content: 'Someone logged in from a strange place' } };
    const where = { conversation: { id: CHAT, tenantId: TENANT, conversationType: 'groupChat' }, channelData: { tenant: { id: TENANT } } };
    const opened = await t.send({ type: 'invoke', name: 'composeExtension/fetchTask', ...where, value: { commandId: 'declareIncident', commandContext: 'message', messagePayload: message } });
    const form = opened.body.task.value.card.content;
    expect(inputsOf(form).type.choices).to.have.length(4);
    const submit = (data: Record<string, unknown>) => t.send({ type: 'invoke', name: 'composeExtension/submitAction', ...where, value: { commandId: 'declareIncident', commandContext: 'message', messagePayload: message, data } });
    const switched = await submit({ ...form.actions[0].data, title: 'Strange login', type: 'security' });
    const again = switched.body.task.value.card.content;
    expect(cardProblems(again)).to.deep.equal([]);
    expect(inputsOf(again)['field-vector'].choices.map((c: any) => c.value)).to.include('Stolen credentials');
    await submit({ ...again.actions[0].data, title: 'Strange login', type: 'security', 'field-vector': 'Stolen credentials' });
    const [incident] = await provisioned(t);
    expect(incident).to.include({ type: 'security', severity: 'P1' });
    expect(incident!.fields).to.deep.equal({ vector: 'Stolen credentials' });
  });
});
