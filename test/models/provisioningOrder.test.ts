import { expect } from 'chai';
import { Provisioner } from '../../models/warRoom/provisioning.js';
import { declareIncident } from '../../models/warRoom/declareIncident.js';
import { PermanentError } from '../../models/support/errors.js';
import { TenantProfiles } from '../../models/incident/tenantProfile.js';
import type { Incident, ProvisioningStep, StepState } from '../../models/incident/incident.js';
import type { IncidentStore } from '../../models/ports/incidentStore.js';
import type { Messenger } from '../../models/ports/messenger.js';
import type { StepFields } from '../../models/ports/provisioningStore.js';
import type { Workspace } from '../../models/ports/workspace.js';
import type { TimelineEvent } from '../../models/incident/timeline.js';
import { sampleIncident } from '../helpers/fixtures.js';

const OWNER = 'this-process';
const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The saga against ports that write down, in order, every Teams call (when it is made and when it
 * is answered) and every write to the record: what the card waits for, and in what order the
 * results reach the record, read straight off that log.
 */
function saga(options: { record?: Partial<Incident>; onLinks?: (room: ReturnType<typeof saga>) => void; meetingTabRefused?: boolean } = {}) {
  const log: string[] = [];
  const replyTo = { serviceUrl: 'https://smba.example/', tenantId: 'tenant-a', conversationId: '19:general@thread.tacv2', activityId: 'declare-1' };
  let record: Incident = sampleIncident({ source: { kind: 'chat', key: 'k', replyTo, ackActivityId: 'declaring-1' }, ...options.record });
  const events: TimelineEvent[] = [];
  const drawn: Incident[] = [];
  const copy = () => structuredClone(record);
  const call = async <T>(name: string, ms: number, answer: () => T): Promise<T> => {
    log.push(`call ${name}`);
    await later(ms);
    log.push(`answer ${name}`);
    return answer();
  };

  const store = {
    async claimProvisioning(_id: string, owner: string, until: Date) {
      log.push('write claim');
      if (record.provisioning.lease && record.provisioning.lease.until > new Date()) return undefined;
      record = { ...record, provisioning: { ...record.provisioning, lease: { owner, until }, claims: (record.provisioning.claims ?? 0) + 1 } };
      return copy();
    },
    async saveStep(_id: string, step: ProvisioningStep, state: StepState, fields: StepFields = {}, event?: TimelineEvent) {
      await later(1);
      log.push(`write ${step} ${state.status}`);
      if (event) events.push(event);
      record = { ...record, ...fields, provisioning: { ...record.provisioning, steps: { ...record.provisioning.steps, [step]: state } }, version: record.version + 1 };
      return copy();
    },
    async findById() {
      return copy();
    },
    async renewProvisioning() {},
    async markProvisioned() {
      record = { ...record, provisioning: { ...record.provisioning, complete: true } };
    },
    async releaseProvisioning() {
      log.push('write release');
    },
    async listUnprovisioned() {
      return [];
    },
  };
  const tab = (where: string) => ({ id: `tab-${where}`, webUrl: `https://teams.example/${where}/tab`, contentUrl: 'https://app.example/tab' });
  const workspace: Partial<Workspace> = {
    countChannels: async () => 3,
    createChannel: (spec) => call('channel', 10, () => ({ id: '19:inc@thread.tacv2', name: spec.displayName, webUrl: 'https://teams.example/channel' })),
    createMeeting: () => call('meeting', 10, () => ({ id: 'm-1', joinUrl: 'https://teams.example/join', via: 'onlineMeeting' as const, chatId: '19:meeting@thread.v2' })),
    addTab: () => call('tab', 10, () => tab('channel')),
    addMeetingTab: () =>
      call('meetingTab', 20, () => {
        if (options.meetingTabRefused) throw new PermanentError('the app cannot be added to the meeting chat', 'Grant the permission.');
        return tab('chat');
      }),
  };
  const messenger: Partial<Messenger> = {
    postIncidentCard: () => call('card', 2, () => ({ conversationId: '19:inc@thread.tacv2;messageid=1', activityId: '1', serviceUrl: 'https://smba.example/' })),
    postBroadcast: () => call('broadcast', 2, () => ({ conversationId: '19:broadcast;messageid=2', activityId: '2', serviceUrl: 'https://smba.example/' })),
    notifyReporter: () => call('reporter', 2, () => undefined),
    updateIncidentCard: async (incident) => {
      drawn.push(incident);
      await call('card update', 2, () => undefined);
      if (drawn.length === 1) options.onLinks?.(room);
    },
  };
  const provisioner = new Provisioner({
    store: store as unknown as IncidentStore,
    workspace: workspace as Workspace,
    messenger: messenger as Messenger,
    clock: { now: () => new Date(), sleep: later as (ms: number) => Promise<void> },
    log: { info() {}, warn() {}, error() {} } as never,
    config: {
      profiles: TenantProfiles.builtIn,
      meetingHours: 8,
      retry: { maxAttempts: 3, baseMs: 1, capMs: 2 },
      leaseMs: 60_000,
      owner: OWNER,
      tabFor: (incident) => ({ displayName: 'Incident', entityId: incident.id, contentUrl: 'https://app.example/tab', websiteUrl: 'https://app.example/tab' }),
      broadcastChannel: { channelId: '19:broadcast' },
    },
  });
  const room = {
    log,
    drawn,
    events,
    provisioner,
    get record() {
      return record;
    },
    /** Someone acts on the incident (a card button): the record's version moves on. */
    changeByOthers(fields: Partial<Incident>) {
      record = { ...record, ...fields, version: record.version + 1 };
    },
    at: (entry: string) => {
      const index = log.indexOf(entry);
      expect(index, `"${entry}" in ${JSON.stringify(log)}`).to.be.at.least(0);
      return index;
    },
  };
  return room;
}

describe('the war room saga: what the card waits for, and the order results reach the record', () => {
  it('posts the card as Graph answers for the channel and draws its links as the tab and meeting exist, before writing any of them', async () => {
    const room = saga();
    await room.provisioner.provision(room.record.id);
    const firstWrite = room.log.findIndex((entry) => entry.startsWith('write ') && entry !== 'write claim');
    // Nothing but Teams calls between the channel's answer and the card post, and nothing written before it.
    expect(room.at('call card')).to.equal(room.at('answer channel') + 2); // the tab's call goes out first
    expect(room.at('call tab')).to.equal(room.at('answer channel') + 1);
    expect(room.at('call card')).to.be.below(firstWrite);
    // The links go out the moment the tab answers (the meeting answered long before), ahead of the tab's write.
    expect(room.at('call card update')).to.equal(room.at('answer tab') + 1);
    expect(room.at('call card update')).to.be.below(room.at('write tab done'));
    expect(room.drawn).to.have.length(1);
    expect(room.drawn[0]!.meeting?.joinUrl).to.equal('https://teams.example/join');
    expect(room.drawn[0]!.tab?.webUrl).to.equal('https://teams.example/channel/tab');
    // The meeting chat's tab is off that path: its calls start after the first card is out.
    expect(room.at('call meetingTab')).to.be.above(room.at('answer card'));
    expect(room.record.provisioning.complete).to.equal(true);
  });

  it('writes a result only after what it was made from, so a resumed claim never finds a step done without its input', async () => {
    const room = saga();
    await room.provisioner.provision(room.record.id);
    const written = (step: ProvisioningStep) => room.at(`write ${step} done`);
    for (const step of ['tab', 'card', 'broadcast', 'reporter'] as const) expect(written(step), step).to.be.above(written('channel'));
    expect(written('meetingTab')).to.be.above(written('meeting'));
    for (const step of ['channel', 'meeting', 'tab', 'card'] as const) expect(written('cardLinks'), step).to.be.above(written(step));
    for (const step of ['channel', 'meeting', 'tab', 'card', 'broadcast', 'reporter', 'meetingTab', 'cardLinks'] as const) expect(room.record.provisioning.steps[step].status, step).to.equal('done');
    expect(room.record.channel?.id).to.equal('19:inc@thread.tacv2');
    expect(room.events.map((e) => e.kind)).to.have.members(['channel_created', 'meeting_created', 'tab_added', 'card_posted', 'broadcast_posted', 'reporter_notified', 'meeting_tab_added']);
  });

  it('draws the card again when someone changed the incident while its links were drawn, and only then', async () => {
    const quiet = saga();
    await quiet.provisioner.provision(quiet.record.id);
    expect(quiet.drawn, 'nothing moved on: the links are drawn once').to.have.length(1);

    const busy = saga({ onLinks: (room) => room.changeByOthers({ status: 'investigating' }) });
    await busy.provisioner.provision(busy.record.id);
    expect(busy.drawn).to.have.length(2);
    expect(busy.drawn[0]!.status).to.equal('triage');
    expect(busy.drawn[1]!).to.deep.include({ status: 'investigating' });
    expect(busy.drawn[1]!.tab?.webUrl, 'and keeps the links').to.equal('https://teams.example/channel/tab');
  });

  it('draws the card again when the meeting chat’s tab fails after the links went out', async () => {
    const room = saga({ meetingTabRefused: true });
    await room.provisioner.provision(room.record.id);
    expect(room.record.provisioning.steps.meetingTab.status).to.equal('failed');
    expect(room.drawn).to.have.length(2);
    expect(room.drawn[1]!.provisioning.steps.meetingTab.status).to.equal('failed');
  });

  it('starts a war room declared here with its lease without claiming it again; anything else is claimed first', async () => {
    const lease = { owner: OWNER, until: new Date(Date.now() + 60_000) };
    const declared = saga({ record: { provisioning: { ...sampleIncident().provisioning, lease, claims: 1 } } });
    await declared.provisioner.provision(declared.record.id, declared.record);
    expect(declared.log).not.to.include('write claim');
    expect(declared.log[0]).to.match(/^call /);

    // Another process's lease, or ours from an earlier claim: the copy in hand proves nothing, the claim decides.
    for (const provisioning of [{ lease: { ...lease, owner: 'another-process' }, claims: 1 }, { lease, claims: 2 }, { lease: { owner: OWNER, until: new Date(Date.now() - 1) }, claims: 1 }]) {
      const room = saga({ record: { provisioning: { ...sampleIncident().provisioning, ...provisioning } } });
      await room.provisioner.provision(room.record.id, room.record);
      expect(room.log[0], JSON.stringify(provisioning)).to.equal('write claim');
    }
  });

  it('runs one war room once per process, even when its own sweep finds the lease expired mid-way', async () => {
    const room = saga();
    const [first, second] = await Promise.all([room.provisioner.provision(room.record.id), room.provisioner.provision(room.record.id)]);
    expect(first?.provisioning.complete).to.equal(true);
    expect(second).to.equal(undefined);
    expect(room.log.filter((entry) => entry === 'write claim')).to.have.length(1);
    expect(room.log.filter((entry) => entry === 'call channel')).to.have.length(1);
  });
});

describe('declaring stores the record holding the declaring process’s provisioning lease', () => {
  function declaringStore() {
    const stored: Incident[] = [];
    const reads: string[] = [];
    const store = {
      findById: async () => {
        reads.push('retry check asked');
        await later(5);
        reads.push('retry check answered');
        return stored[0];
      },
      countDeclaredSince: async () => (reads.push('count'), 0),
      nextNumber: async () => 7,
      insertIncident: async (incident: Incident, onInserted?: (stored: Incident) => void) => (stored.push(incident), onInserted?.(incident), { incident, inserted: true }),
      appendEvent: async () => true,
    };
    return { store: store as unknown as IncidentStore, stored, reads };
  }
  const request = { tenantId: 'tenant-a', reporter: { id: '29:alex', name: 'Alex Wilber' }, source: { kind: 'chat' as const, key: 'teams-activity:1' }, input: { title: 'Disk full' } };
  const clock = { now: () => new Date(), sleep: async () => undefined };

  it('with the lease given, so its war room starts without a claim; without one while the process stops', async () => {
    const until = new Date(Date.now() + 60_000);
    const held = declaringStore();
    const { incident, created } = await declareIncident({ store: held.store, clock, profiles: TenantProfiles.builtIn, lease: () => ({ lease: { owner: OWNER, until }, claims: 1 }) }, request);
    expect(created).to.equal(true);
    expect(held.stored[0]!.provisioning).to.deep.include({ complete: false, lease: { owner: OWNER, until }, claims: 1 });
    expect(incident.provisioning.lease?.owner).to.equal(OWNER);
    // The retry check and the hourly limits are read together, not one after the other.
    expect(held.reads).to.deep.equal(['retry check asked', 'count', 'count', 'retry check answered']);

    const stopping = declaringStore();
    await declareIncident({ store: stopping.store, clock, profiles: TenantProfiles.builtIn, lease: () => ({}) }, request);
    expect(stopping.stored[0]!.provisioning).to.not.have.property('lease');
  });
});
