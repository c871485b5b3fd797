/** Who may be invited to or removed from a private incident, and what each refusal says. */
import { expect } from 'chai';
import { invite, MAX_MEMBERS, removeMember } from '../../models/actions/memberDecisions.js';
import { sampleIncident } from '../helpers/fixtures.js';
import { ALEX, LEE, MEGAN, OUTSIDER } from '../helpers/people.js';

const privately = (fields = {}) => sampleIncident({ private: true, members: [ALEX], ...fields });
const refusal = (decision: object) => (decision as { refuse?: string }).refuse;

describe('private incident membership decisions', () => {
  it('invites a person with an Entra id once; refuses public incidents, a second invite, nameless people and a full chat', () => {
    const decided = invite(privately(), MEGAN);
    expect(decided).to.deep.include({ patch: { members: [ALEX, MEGAN] } });
    expect(refusal(invite(sampleIncident(), MEGAN))).to.contain('not private');
    expect(refusal(invite(privately({ members: [ALEX, MEGAN] }), MEGAN))).to.contain('already a member');
    expect(refusal(invite(privately(), { id: '29:x', name: 'No Id' }))).to.contain('could not tell who');
    const full = Array.from({ length: MAX_MEMBERS }, (_, i) => ({ ...OUTSIDER, id: `29:p${i}`, aadObjectId: `aad-${i}` }));
    expect(refusal(invite(privately({ members: full }), LEE))).to.contain(String(MAX_MEMBERS));
  });

  it('removes a member; refuses someone not in it, the last member, and anyone holding a role', () => {
    expect(removeMember(privately({ members: [ALEX, MEGAN] }), MEGAN)).to.deep.include({ patch: { members: [ALEX] } });
    expect(refusal(removeMember(privately(), MEGAN))).to.contain('not a member');
    expect(refusal(removeMember(privately(), ALEX))).to.contain('last member');
    expect(refusal(removeMember(privately({ members: [ALEX, MEGAN], roles: { commander: MEGAN, smes: [] } }), MEGAN))).to.contain('holds a role');
    expect(refusal(removeMember(privately({ members: [ALEX, MEGAN], roles: { smes: [MEGAN] } }), MEGAN))).to.contain('holds a role');
  });
});
