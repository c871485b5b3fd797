import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { DEFAULT_SOP } from '../../models/incident/checklist.js';
import { BUILT_IN_TYPES } from '../../models/incident/incidentTypes.js';
import { LOCAL } from '../../local/defaults.js';
import { ALEX, asRead, MEGAN, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { cardText } from '../helpers/incidentRoom.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';
import { movableClock } from '../helpers/clock.js';
import { securityInAChannel, tenantConfigFile, TENANT } from '../helpers/testApp.js';
import { SAMPLE_PEOPLE } from '../../local/world/people.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [, megan, lee, adele] = SAMPLE_PEOPLE.map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId }));

function onCallFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'oncall-')), 'oncall.json');
  const midnight = `${new Date().toISOString().slice(0, 10)}T00:00:00Z`;
  writeFileSync(path, JSON.stringify({ rota: { name: 'sre', people: [megan, lee], start: midnight, shiftHours: 24 * 7 }, policy: [{ target: 'primary' }, { target: 'secondary' }] }));
  return path;
}

const security = BUILT_IN_TYPES.list.find((t) => t.id === 'security')!;
const ALEX_NAME = ALEX.name;

describe('an incident runs by its type: checklist, channel name, close guard, broadcast, paging', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  afterEach(() => room?.close());

  const broadcastRoot = async () => {
    const incident = await room.incident();
    return incident.broadcast ? room.t.local.world.activities.find((a) => a.id === incident.broadcast!.activityId) : undefined;
  };

  it('a security incident: its channel name, its checklist added to the severity\'s, one redacted broadcast line, and no close without a Technical lead', async () => {
    room = await openIncidentRoom(securityInAChannel(), 'Admin account phished --type security --field vector=Phishing');
    const incident = await room.incident();
    expect(incident.channel!.name).to.match(/^sec-1/);

    const api = tabApi(room.t.app.url, incident.id, signedInAs(room.t.app));
    const { body } = await api.get();
    const ids = body.checklist.items.map((i: { id: string }) => i.id);
    expect(ids).to.deep.equal([...DEFAULT_SOP.P1.map((i) => i.id), ...security.checklist.items.map((i) => i.id)]);
    expect((await api.put('/checklist/evidence', { done: true, key: randomUUID() })).status).to.equal(200);

    const root = await broadcastRoot();
    const broadcast = cardText(root!.attachments![0]!.content);
    expect(broadcast).to.contain('A private incident is in progress, severity P1 (Major).');
    expect(broadcast).not.to.contain('phished').and.not.to.contain('Follow');

    // An update goes to the channel, not under the redacted broadcast.
    await room.say('update Reset the admin password');
    await room.t.app.actions.drain();
    const posted = JSON.stringify(room.t.local.world.activitiesIn(LOCAL.broadcastChannelId));
    expect(posted).not.to.contain('Reset the admin password');
    expect(JSON.stringify(room.t.local.world.activitiesIn(incident.channel!.id))).to.contain('Reset the admin password');

    await room.say('role ic me');
    await room.click('summary', { environment: 'Production', type: 'Self' });
    await room.say('resolve');
    const refused = asRead((await room.say('close')).text ?? '');
    expect(refused).to.contain('cannot be closed yet').and.contain('a Security incident needs a Technical lead before closing').and.contain('role tech @name');
    expect((await room.incident()).status).to.equal('resolved');
    await room.say('role tech me');
    expect((await room.say('close')).text).to.contain('closed INC-1');
  });

  it('an internal-tooling incident: its own checklist alone, no broadcast, nobody paged', async () => {
    room = await openIncidentRoom({}, 'CI runners are down --type internal-tooling');
    const incident = await room.incident();
    expect(incident).to.include({ severity: 'P3', type: 'internal-tooling' });
    expect(incident.channel!.name).to.match(/^tool-1-ci-runners-are-down/);
    expect(incident.broadcast).to.equal(undefined);
    expect(incident.provisioning.steps.broadcast.status).to.equal('skipped');
    const { body } = await tabApi(room.t.app.url, incident.id, signedInAs(room.t.app)).get();
    expect(body.checklist.items.map((i: { id: string }) => i.id)).to.deep.equal(['context', 'workaround', 'owner', 'one-fix', 'follow-up']);
  });

  describe('paging by type', () => {
    const open = async (title: string, settings: Record<string, string> = {}) => {
      const clock = movableClock();
      room = await openIncidentRoom({ ONCALL_FILE: onCallFile(), ...settings }, title, { clock, timers: false });
      await room.t.app.jobs.runDue();
      await room.t.app.actions.drain();
      return room.t.app.database.store.listEvents((await room.incident()).id);
    };

    it('a type that pages nobody pages nobody, and says so in the channel', async () => {
      const events = await open('CI runners are down --type internal-tooling');
      expect(events.filter((e) => e.kind === 'paged')).to.have.length(0);
      expect(events.some((e) => e.kind === 'reminder' && String(e.payload.text).includes('Internal tooling incidents page nobody'))).to.equal(true);
      expect((await room.incident()).paging).to.equal(undefined);
    });

    it('a type with its own policy pages its people, not the rota\'s primary', async () => {
      const config = tenantConfigFile({ default: { types: { security: { paging: { name: 'security on-call', levels: [{ target: { people: [adele] }, label: 'security on-call' }] } } } } });
      await open('Admin account phished --type security', { TENANT_CONFIG_FILE: config });
      const incident = await room.incident();
      expect(incident.tenantId).to.equal(TENANT);
      expect(incident.paging).to.deep.include({ level: 0, label: 'security on-call' });
      expect(incident.paging!.people.map((p) => p.name)).to.deep.equal([adele!.name]);
    });

    it('the default type pages the rota', async () => {
      await open('Checkout API returns 500s --sev P1');
      expect((await room.incident()).paging!.people.map((p) => p.name)).to.deep.equal([megan!.name]);
    });
  });
});

describe('changing an incident\'s type later', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  afterEach(() => room?.close());

  it('`type security`: on the timeline, credited, with the new checklist added and what was done kept; refused to others once there is a commander', async () => {
    room = await openIncidentRoom({}, 'Logins are failing --sev P2');
    const incident = await room.incident();
    const api = tabApi(room.t.app.url, incident.id, signedInAs(room.t.app));
    expect((await api.put('/checklist/context', { done: true, key: randomUUID() })).status).to.equal(200);
    await room.say('role ic me');

    const refused = asRead((await room.say('type security', { from: MEGAN })).text ?? '');
    expect(refused).to.contain('Only the Incident Commander (Alex Wilber)').and.contain('incident admins');
    expect((await room.incident()).type).to.equal('service-outage');
    expect(asRead((await room.say('type aliens')).text ?? '')).to.contain('There is no type “aliens”').and.contain('security (Security)');

    const said = asRead((await room.say('type Security')).text ?? '');
    expect(said).to.contain('changed INC-1 from Service outage to Security');
    const after = await room.incident();
    expect(after.type).to.equal('security');
    const [event] = (await room.t.app.database.store.listEvents(incident.id)).filter((e) => e.kind === 'type_changed');
    expect(event!.payload).to.deep.include({ from: 'service-outage', to: 'security', privateByDefault: true });
    expect(event!.actor).to.include({ kind: 'user', name: ALEX_NAME });
    const { body } = await api.get();
    const items = body.checklist.items as { id: string; done?: { by: string } }[];
    expect(items.find((i) => i.id === 'context')!.done!.by).to.equal(ALEX_NAME);
    expect(items.map((i) => i.id)).to.include.members(security.checklist.items.map((i) => i.id));
    expect(body.incident.type).to.deep.equal({ id: 'security', label: 'Security' });
    // From now on its rules are the new type's: closing needs a Technical lead.
    await room.click('summary', { environment: 'Production', type: 'Self' });
    await room.say('resolve');
    expect(asRead((await room.say('close')).text ?? '')).to.contain('needs a Technical lead');
  });

  it('from the card\'s More and from the tab', async () => {
    room = await openIncidentRoom({}, 'Wiki is down --sev P3');
    const card = JSON.stringify((await room.say('info')).card);
    expect(card).to.contain('"id":"typeTo"').and.contain('"verb":"changeType"');
    const clicked = await room.click('changeType', { typeTo: 'internal-tooling' });
    expect(cardText(clicked.value)).to.contain('Internal tooling');
    expect((await room.incident()).type).to.equal('internal-tooling');
    const api = tabApi(room.t.app.url, (await room.incident()).id, signedInAs(room.t.app));
    const viaTab = await api.post('/actions', { action: 'type', to: 'data-incident', key: randomUUID() });
    expect(viaTab.status).to.equal(200);
    expect(viaTab.body.incident.type.id).to.equal('data-incident');
    const kinds = (await room.t.app.database.store.listEvents((await room.incident()).id)).filter((e) => e.kind === 'type_changed').map((e) => e.payload.to);
    expect(kinds).to.deep.equal(['internal-tooling', 'data-incident']);
  });
});
