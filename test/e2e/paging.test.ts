import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { RunningApp } from '../../server.js';
import { SAMPLE_PEOPLE } from '../../local/world/people.js';
import type { FakeActivity } from '../../local/world/teamsWorld.js';
import { movableClock } from '../helpers/clock.js';
import { asRead, LEE, MEGAN, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { provisioned, TENANT } from '../helpers/testApp.js';

const [, megan, lee, adele, nestor] = SAMPLE_PEOPLE.map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId }));

/** A rota whose current shift started at midnight today: Megan primary, Lee secondary, then a manager. */
function onCallFile(extra: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'oncall-'));
  const path = join(dir, 'oncall.json');
  const midnight = `${new Date().toISOString().slice(0, 10)}T00:00:00Z`;
  writeFileSync(
    path,
    JSON.stringify({
      rota: { name: 'sre', people: [megan, lee, adele, nestor], start: midnight, shiftHours: 24 * 7 },
      policy: [{ target: 'primary' }, { target: 'secondary' }, { target: { people: [adele] }, label: 'engineering manager' }],
      directory: [{ component: 'payments', team: 'Payments', people: [nestor] }],
      ...extra,
    }),
  );
  return path;
}

/**
 * Paging, escalation and reminders on durable timers, in virtual time: the clock is moved
 * forward and the timers are run (app.jobs.runDue) as a poll would.
 */
describe('paging, escalation and reminders (virtual time)', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  let clock: ReturnType<typeof movableClock>;
  afterEach(() => room?.close());

  const open = async (title: string, settings: Record<string, string> = {}) => {
    clock = movableClock();
    room = await openIncidentRoom({ ONCALL_FILE: onCallFile(), ...settings }, title, { clock, timers: false });
    return room;
  };
  const tick = async (minutes: number, app: RunningApp = room.t.app) => {
    clock.advanceMinutes(minutes);
    await app.jobs.runDue();
    await app.actions.drain();
  };
  /** The channel's messages, their text as read (escapes resolved). */
  const channelMessages = async (): Promise<FakeActivity[]> => room.t.local.world.activitiesIn((await room.incident()).channel!.id).filter((a) => a.text).map((a) => ({ ...a, text: asRead(a.text!) }));
  const events = async (kind: string, app: RunningApp = room.t.app) => {
    const incident = (await app.database.store.listOpen(TENANT, 1))[0] ?? (await room.incident());
    return (await app.database.store.listEvents(incident.id)).filter((e) => e.kind === kind);
  };

  it('a private incident: whoever is paged becomes a member and joins its chat, so the on-call can read what they are woken for', async () => {
    await open('Payroll export leaks salaries --sev P1 --private');
    await tick(0);
    const incident = await room.incident();
    expect(incident.paging?.people.map((p) => p.name)).to.deep.equal([megan!.name]);
    expect(incident.members!.map((m) => m.name)).to.include(megan!.name);
    const chat = room.t.local.world.chats.get(incident.chat!.id)!;
    expect(chat.members!.map((m) => m.userId)).to.include(megan!.aadObjectId);
    // Escalated: the next level joins too.
    await tick(16);
    expect((await room.incident()).members!.map((m) => m.name)).to.include(lee!.name);
  });

  it('pages the on-call IC with a mention and the channel link, escalates after 15 minutes without an ack, and stops on ack', async () => {
    await open('Checkout API returns 500s --sev P1 --component payments');
    await tick(0);
    const incident = await room.incident();
    expect(incident.paging).to.deep.include({ level: 0, label: 'primary on-call' });
    expect(incident.paging!.people.map((p) => p.name)).to.deep.equal([MEGAN.name]);
    const page = (await channelMessages()).find((a) => a.text!.includes('You are paged'))!;
    expect(page.text).to.contain(`<at>${MEGAN.name}</at>`).and.contain('INC-1').and.contain(incident.channel!.webUrl);
    expect(page.entities).to.deep.equal([{ type: 'mention', text: `<at>${MEGAN.name}</at>`, mentioned: { id: MEGAN.id, name: MEGAN.name } }]);
    // The directory suggests the component's owners as SMEs.
    expect((await channelMessages()).some((a) => a.text!.includes('payments is owned by Payments: suggested SMEs Nestor Wilke'))).to.equal(true);

    await tick(14);
    expect(await events('escalated')).to.have.length(0, 'not yet: 14 of 15 minutes');
    await tick(2);
    const escalated = await events('escalated');
    expect(escalated).to.have.length(1);
    expect(escalated[0]!.actor.kind).to.equal('system');
    expect((await channelMessages()).some((a) => a.text!.includes('Nobody acknowledged INC-1 within 15 min'))).to.equal(true);
    expect((await room.incident()).paging).to.deep.include({ level: 1, label: 'secondary on-call' });
    expect((await room.incident()).paging!.people[0]!.name).to.equal(LEE.name);

    // Another 15 minutes: up the policy to the manager.
    await tick(16);
    expect((await room.incident()).paging).to.deep.include({ level: 2, label: 'engineering manager' });

    // Lee acknowledges: no more escalation, however long we wait.
    await room.click('ack', {}, { from: LEE });
    expect((await room.t.app.database.jobs.pendingJobs(incident.id)).map((j) => j.kind)).not.to.include('escalate');
    const pages = (await events('paged')).length;
    await tick(60);
    expect((await events('paged')).length).to.equal(pages);
    expect(await events('escalated')).to.have.length(2);
  });

  it('says so when the policy runs out, and Escalate on the card pages the next level at once', async () => {
    await open('Search is slow --sev P2', { ONCALL_FILE: onCallFile({ policy: [{ target: 'primary' }] }) });
    await tick(0);
    await tick(16);
    const messages = (await channelMessages()).map((a) => a.text ?? '');
    expect(messages.filter((text) => text.includes('the on-call policy has no level after level 1. Page someone directly')), 'said once').to.have.length(1);
    expect(messages.filter((text) => text.includes('paging level 2')), 'no “escalating…” before it').to.have.length(0);

    await open('Login fails --sev P1');
    await tick(0);
    await room.click('escalate', { note: 'need the database team' });
    await tick(0);
    expect((await room.incident()).paging).to.deep.include({ level: 1 });
  });

  it('reminds the channel to post an update every 10 minutes, counting from the last update, and stops on resolve', async () => {
    await open('Checkout API returns 500s --sev P2');
    await tick(0);
    await room.click('ack');
    await tick(10);
    const reminders = () => channelMessages().then((all) => all.filter((a) => a.text!.includes('Status update due')));
    expect((await reminders()).map((a) => a.text)).to.have.length(1);
    expect((await reminders())[0]!.text).to.contain('No update yet, 10 min after declaring');

    await tick(5);
    await room.say('update Rolled back the deploy; error rate falling');
    await tick(5);
    expect(await reminders()).to.have.length(1, 'the update reset the timer');
    await tick(5);
    expect(await reminders()).to.have.length(2);
    expect((await reminders())[1]!.text).to.contain('The last update was 10 min ago (Alex Wilber)');
    expect((await events('reminder')).filter((e) => e.payload.timer === 'update_reminder')).to.have.length(2);

    await room.say('resolve');
    expect((await room.incident()).status).to.equal('resolved');
    const pending = (await room.t.app.database.jobs.pendingJobs((await room.incident()).id)).map((j) => j.kind);
    expect(pending).to.deep.equal(['postmortem_reminder']);
    await tick(60);
    expect(await reminders()).to.have.length(2);
  });

  it('reminds about the post-mortem after resolve until it is published', async () => {
    await open('Checkout API returns 500s --sev P2');
    await room.say('resolve');
    await tick(5 * 24 * 60 + 1); // P2: due 120 h after resolution
    const due = (await channelMessages()).filter((a) => a.text!.includes('The post-mortem for INC-1 is due'));
    expect(due).to.have.length(1);
    expect(due[0]!.text).to.contain('nobody has started it');
    await tick(24 * 60);
    expect((await channelMessages()).filter((a) => a.text!.includes('post-mortem for INC-1 is due'))).to.have.length(2, 'daily until published');
  });

  it('pages in the broadcast channel when the incident channel could not be created', async () => {
    clock = movableClock();
    const { startTestApp } = await import('../helpers/testApp.js');
    const t = await startTestApp({ ONCALL_FILE: onCallFile() }, { clock, timers: false });
    try {
      t.local.graph.faults.add({ method: 'POST', path: /\/channels$/, status: 403, code: 'Forbidden', message: 'Missing Channel.Create', times: 50 });
      await t.message('declare Checkout API returns 500s --sev P1');
      const [incident] = await provisioned(t);
      expect(incident!.channel).to.equal(undefined);
      await t.app.jobs.runDue();
      await t.app.actions.drain();
      const broadcast = t.local.world.activitiesIn('19:production-issues@thread.tacv2');
      expect(broadcast.some((a) => a.text?.includes('You are paged') && a.text.includes(`<at>${MEGAN.name}</at>`))).to.equal(true);
    } finally {
      await t.close();
    }
  });

  it('keeps a pending escalation across a restart, and fires it once from the new process', async () => {
    await open('Checkout API returns 500s --sev P1');
    await tick(0);
    await room.t.app.close(); // the process stops with the escalation pending
    const again = await room.t.restart({}, { clock, timers: false });
    await tick(16, again);
    await tick(1, again);
    expect(await events('escalated', again)).to.have.length(1);
    expect((await again.database.store.listOpen(TENANT, 1))[0]!.paging).to.deep.include({ level: 1 });
  });

  it('fires each timer once with two app instances polling one database', async () => {
    await open('Checkout API returns 500s --sev P1');
    const other = await room.t.restart({}, { clock, timers: false });
    clock.advanceMinutes(0);
    await Promise.all([room.t.app.jobs.runDue(), other.jobs.runDue()]);
    clock.advanceMinutes(16);
    await Promise.all([room.t.app.jobs.runDue(), other.jobs.runDue(), room.t.app.jobs.runDue(), other.jobs.runDue()]);
    clock.advanceMinutes(10);
    await Promise.all([room.t.app.jobs.runDue(), other.jobs.runDue()]);
    await Promise.all([room.t.app.actions.drain(), other.actions.drain()]);
    expect(await events('escalated')).to.have.length(1);
    const messages = await channelMessages();
    expect(messages.filter((a) => a.text!.includes('You are paged'))).to.have.length(2, 'level 1 and level 2, once each');
    expect(messages.filter((a) => a.text!.includes('Nobody acknowledged'))).to.have.length(1);
    expect(messages.filter((a) => a.text!.includes('Status update due'))).to.have.length(2, 'at 10 and 20 minutes');
  });

  it('shows and changes the rota in chat, warning when it drops under four people', async () => {
    await open('Checkout API returns 500s --sev P2');
    const shown = await room.say('oncall');
    expect(shown.text).to.contain(`primary **${MEGAN.name}**, secondary **${LEE.name}**`).and.contain('Rota** (168 h shifts, in this order): Megan Bowen, Lee Gu, Adele Vance, Nestor Wilke');
    expect(shown.text).to.contain('1. primary on-call → 2. secondary on-call → 3. engineering manager');

    const removed = await room.say('oncall remove', { mentions: [adele!] });
    expect(removed.text).to.contain('Adele Vance left the rota. The rota has 3; a healthy one has at least 4.');
    expect(removed.text).to.contain('⚠️ The sre rota has 3 people');
    expect((await room.say('oncall remove', { mentions: [adele!] })).text).to.equal('Adele Vance is not on the rota.');
    expect((await room.say('oncall add', { mentions: [adele!] })).text).to.contain('Adele Vance joined the rota (from the next shifts; who is on call now does not change).').and.not.contain('⚠️');
    expect((await room.say('oncall add', { mentions: [adele!] })).text).to.equal('Adele Vance is already on the rota.');
    expect((await room.say('oncall add')).text).to.contain('Mention the person');
    expect((await room.say('oncall swap')).text).to.contain('Use `oncall` to see the rota');
    expect((await room.say('oncall shift 24')).text).to.contain('Shifts are now 24 h').and.contain('(24 h shifts');
    expect((await room.say('oncall shift 0')).text).to.contain('between 1 and 672');
    expect((await room.say('oncall timing P2 ack=5')).text).to.contain('P2 ack 5 min, updates every 10 min');
    expect((await room.say('oncall timing P9 ack=5')).text).to.contain('Say which severity');
    expect((await room.say('oncall timing P2 ack=-3')).text).to.contain('Those timings are not valid');
    // The change is what paging uses from now on (stored per tenant, surviving restarts).
    expect((await room.t.app.rota.setup(TENANT))!.rota.people.map((p) => p.name)).to.deep.equal([MEGAN.name, LEE.name, 'Nestor Wilke', 'Adele Vance']);
    // A new P2 now escalates after 5 minutes, as set in chat.
    await room.say('ack');
    await room.t.message('declare Search is slow --sev P2');
    await provisioned(room.t, 2);
    await tick(0);
    await tick(6);
    const second = (await room.t.incidents()).find((i) => i.number === 2)!;
    expect((await room.t.app.database.store.listEvents(second.id)).filter((e) => e.kind === 'escalated')).to.have.length(1);
    // Removing the person on call is the one edit that changes who holds the pager now, and it says who.
    const handedOver = await room.say('oncall remove', { mentions: [megan!] });
    expect(handedOver.text).to.contain('Megan Bowen left the rota; they were on call, so Lee Gu takes over now.');
    expect(handedOver.text).to.contain(`primary **${LEE.name}**`);
  });
});
