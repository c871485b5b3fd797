import { expect } from 'chai';
import { DEFAULT_SOP, type Sop } from '../../models/incident/checklist.js';
import {
  BROADCAST_MODES,
  BUILT_IN_TYPES,
  broadcastFor,
  channelPatternFor,
  defaultType,
  findType,
  isPrivateIncident,
  missingRoles,
  typeById,
  typeChecklist,
  typeOf,
  type IncidentType,
} from '../../models/incident/incidentTypes.js';
import { checkChannelPattern } from '../../models/warRoom/channelName.js';

const type = (id: string): IncidentType => typeById(BUILT_IN_TYPES, id)!;
const ids = (items: readonly { id: string }[]) => items.map((i) => i.id);
const alex = { id: '29:alex', name: 'Alex Wilber' };

describe('incident types (the domain)', () => {
  it('has four built-in types, service outage the default, each with a legal channel pattern', () => {
    expect(BUILT_IN_TYPES.list.map((t) => t.id)).to.deep.equal(['service-outage', 'security', 'data-incident', 'internal-tooling']);
    expect(defaultType(BUILT_IN_TYPES).label).to.equal('Service outage');
    for (const t of BUILT_IN_TYPES.list) {
      if (t.channelNamePattern) expect(checkChannelPattern(t.channelNamePattern), t.id).to.equal(undefined);
    }
    // Security and data incidents are need-to-know; the others are public.
    expect(BUILT_IN_TYPES.list.filter((t) => t.privateByDefault).map((t) => t.id)).to.deep.equal(['security', 'data-incident']);
    // A private type's channel name never carries the title.
    for (const t of BUILT_IN_TYPES.list.filter((x) => x.privateByDefault)) expect(t.channelNamePattern, t.id).not.to.contain('{slug}');
  });

  it('finds the type an incident names, or the tenant default for none or a removed one', () => {
    expect(typeOf(BUILT_IN_TYPES, 'security').id).to.equal('security');
    expect(typeOf(BUILT_IN_TYPES, undefined).id).to.equal('service-outage');
    expect(typeOf(BUILT_IN_TYPES, 'hr').id).to.equal('service-outage');
    expect(typeOf({ ...BUILT_IN_TYPES, defaultId: 'internal-tooling' }, undefined).id).to.equal('internal-tooling');
  });

  it('reads what people type after --type: the id or the label, in any case', () => {
    expect(findType(BUILT_IN_TYPES, 'security')?.id).to.equal('security');
    expect(findType(BUILT_IN_TYPES, 'Data incident')?.id).to.equal('data-incident');
    expect(findType(BUILT_IN_TYPES, ' SERVICE-OUTAGE ')?.id).to.equal('service-outage');
    expect(findType(BUILT_IN_TYPES, 'internal_tooling')?.id).to.equal('internal-tooling');
    expect(findType(BUILT_IN_TYPES, 'secret')).to.equal(undefined);
    expect(findType(BUILT_IN_TYPES, '  ')).to.equal(undefined);
  });

  describe('the checklist: a type adds to the severity list or replaces it', () => {
    it('add: the severity list, then the type items', () => {
      const security = typeChecklist(type('security'), DEFAULT_SOP, 'P1');
      expect(ids(security)).to.deep.equal([...ids(DEFAULT_SOP.P1), ...ids(type('security').checklist.items)]);
      // Severity still matters with `add`: P3 gets the short list plus the security items.
      expect(typeChecklist(type('security'), DEFAULT_SOP, 'P3')).to.have.length(DEFAULT_SOP.P3.length + 5);
      // A type with no items of its own gets exactly the severity list (what incidents got before types).
      expect(typeChecklist(type('service-outage'), DEFAULT_SOP, 'P2')).to.deep.equal(DEFAULT_SOP.P2);
    });

    it('add: an item with a severity item id rewords it in place instead of repeating it', () => {
      const reworded: IncidentType = {
        ...type('service-outage'),
        checklist: { mode: 'add', items: [{ id: 'communicate', phase: 'First 30 minutes', text: 'Tell support first, then the broadcast channel.' }, { id: 'vendor', phase: 'Vendor', text: 'Open a ticket with the vendor.' }] },
      };
      const list = typeChecklist(reworded, DEFAULT_SOP, 'P2');
      expect(ids(list)).to.deep.equal([...ids(DEFAULT_SOP.P2), 'vendor']);
      expect(list.find((i) => i.id === 'communicate')!.text).to.equal('Tell support first, then the broadcast channel.');
    });

    it('replace: only the type items, at every severity, whatever the tenant severity lists say', () => {
      const tooling = type('internal-tooling');
      const sop: Sop = { ...DEFAULT_SOP, P0: [{ id: 'x', phase: 'p', text: 't' }] };
      for (const severity of ['P0', 'P1', 'P2', 'P3'] as const) expect(typeChecklist(tooling, sop, severity)).to.deep.equal(tooling.checklist.items);
    });
  });

  it('names the roles required before closing that nobody holds (sme: at least one SME)', () => {
    const security = type('security');
    expect(missingRoles(security, { smes: [] })).to.deep.equal(['commander', 'technical']);
    expect(missingRoles(security, { commander: alex, smes: [] })).to.deep.equal(['technical']);
    expect(missingRoles(security, { commander: alex, technical: alex, smes: [] })).to.deep.equal([]);
    const needsSme: IncidentType = { ...security, requiredRoles: ['sme', 'scribe'] };
    expect(missingRoles(needsSme, { smes: [] })).to.deep.equal(['sme', 'scribe']);
    expect(missingRoles(needsSme, { smes: [alex], scribe: alex })).to.deep.equal([]);
    expect(missingRoles({ ...security, requiredRoles: [] }, { smes: [] })).to.deep.equal([]);
  });

  it('uses the type channel pattern, or the tenant one when the type has none', () => {
    expect(channelPatternFor(type('security'), 'inc-{number}-{slug}')).to.equal('sec-{number}');
    expect(channelPatternFor(type('service-outage'), 'issue-{slug}-{number}')).to.equal('issue-{slug}-{number}');
  });

  it('makes an incident private when the type says so or the declarer asks, never public against the type', () => {
    expect(isPrivateIncident(type('security'))).to.equal(true);
    expect(isPrivateIncident(type('security'), false)).to.equal(true);
    expect(isPrivateIncident(type('service-outage'))).to.equal(false);
    expect(isPrivateIncident(type('service-outage'), true)).to.equal(true);
  });

  it('never broadcasts a private incident in full: only the redacted line, if the type has one', () => {
    const withBroadcast = (broadcast: IncidentType['broadcast']): IncidentType => ({ ...type('service-outage'), broadcast });
    const table = Object.fromEntries(BROADCAST_MODES.map((mode) => [mode, [broadcastFor(withBroadcast(mode), false), broadcastFor(withBroadcast(mode), true)]]));
    expect(table).to.deep.equal({ full: ['full', 'none'], redacted: ['redacted', 'redacted'], none: ['none', 'none'] });
    expect(broadcastFor(type('security'), isPrivateIncident(type('security')))).to.equal('redacted');
  });
});
