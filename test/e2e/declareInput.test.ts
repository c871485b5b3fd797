import { expect } from 'chai';
import { eventually, provisioned, startTestApp, type TestApp } from '../helpers/testApp.js';
import { asRead, cardText } from '../helpers/incidentRoom.js';

const repliesIn = (t: TestApp) => t.local.world.activitiesIn('19:general@thread.tacv2');

describe('declare: bad input, the form, and help', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const badInputs: [string, RegExp][] = [
    ['declare --sev P1', /a title is required/],
    ['declare Database on fire --sev P9', /unknown severity "P9"; use one of P0, P1, P2, P3/],
    [`declare ${'x'.repeat(500)}`, /keep it under 120/],
    ['declare Broken thing --sev', /--sev needs a value/],
    ['declare Broken thing --colour red', /unknown option --colour/],
    [`declare Slow pages --description ${'y'.repeat(5000)}`, /description is longer than 4000/],
  ];
  for (const [text, expected] of badInputs) {
    it(`refuses "${text.slice(0, 40)}${text.length > 40 ? '…' : ''}" with a clear reply and creates nothing`, async () => {
      const response = await t.message(text);
      expect(response.status).to.equal(200);
      const replies = await eventually(() => (repliesIn(t).length > 0 ? repliesIn(t) : undefined));
      expect(asRead(replies[0]!.text ?? '')).to.match(expected).and.to.contain('nothing was created');
      await t.app.runner.drain();
      expect(await t.incidents()).to.have.length(0);
      expect(t.local.graph.channelCreations()).to.have.length(0);
    });
  }

  it('`declare` alone answers with the form; submitting it declares and replaces the form', async () => {
    await t.message('declare');
    const [form] = await eventually(() => (repliesIn(t).length ? repliesIn(t) : undefined));
    const card = JSON.stringify(form!.attachments![0]!.content);
    expect(card).to.contain('Input.Text').and.contain('"verb":"declare"');

    const result = await t.invoke('declare', { title: 'Mobile app crashes on start', severity: 'P0', component: 'ios', description: '' }, { replyToId: form!.id });
    expect(result.status).to.equal(200);
    expect(result.body.type).to.equal('application/vnd.microsoft.card.adaptive');
    expect(cardText(result.body.value)).to.contain('INC-1').and.contain('Mobile app crashes on start');

    const [incident] = await provisioned(t);
    expect(incident).to.include({ severity: 'P0', component: 'ios', title: 'Mobile app crashes on start' });
    expect(incident!.source.kind).to.equal('form');
    // The form message itself becomes the reporter's answer, updated with the channel link.
    const updated = t.local.world.activities.find((a) => a.id === form!.id)!;
    expect(JSON.stringify(updated.attachments)).to.contain(incident!.channel!.webUrl);
  });

  it('a form with bad values comes back with the problems and the values kept, nothing created', async () => {
    const result = await t.invoke('declare', { title: '', severity: 'P7', component: 'search' });
    expect(result.status).to.equal(200);
    const card = JSON.stringify(result.body.value);
    expect(card).to.contain('a title is required').and.contain('unknown severity').and.contain('"value":"search"');
    expect(await t.incidents()).to.have.length(0);
  });

  it('a retried form submit (same invoke id) declares once', async () => {
    await Promise.all([1, 2, 3].map(() => t.invoke('declare', { title: 'Cache stampede', severity: 'P2' }, { id: 'invoke-7' })));
    await provisioned(t);
    expect(await t.incidents()).to.have.length(1);
  });

  it('unknown card verbs and malformed card data are refused with a message', async () => {
    const unknown = await t.invoke('explode', {});
    expect(unknown.body.type).to.equal('application/vnd.microsoft.activity.message');
    expect(unknown.body.value).to.match(/not one I know/);
    const malformed = await t.invoke('declare', { title: { $gt: '' } });
    expect(malformed.body.value).to.match(/data I cannot accept.*title/);
    expect(await t.incidents()).to.have.length(0);
  });

  it('`help` lists the commands from the command table; unknown commands get help too', async () => {
    await t.message('help');
    await t.message('decalre everything is down');
    const replies = await eventually(() => (repliesIn(t).length === 2 ? repliesIn(t) : undefined));
    const help = JSON.stringify(replies[0]!.attachments);
    expect(help).to.contain('`declare <title>').and.contain('`help`').and.contain('`role <commander');
    const mistyped = JSON.stringify(replies[1]!.attachments);
    expect(mistyped).to.contain("I don't know “decalre”").and.contain('`declare <title>');
    expect(await t.incidents()).to.have.length(0);
  });
});
