import { expect } from 'chai';
import { AUTO_REFRESH_MAX_MEMBERS, automaticRefresh } from '../../local/world/autoRefresh.js';

const card = (refresh: object | undefined) => ({ type: 'AdaptiveCard', version: '1.5', body: [], ...(refresh ? { refresh } : {}) });
const action = { type: 'Action.Execute', verb: 'refresh', data: { incidentId: 'i1' } };

/** The local Teams' rule for automatic card refresh, as Microsoft documents it for Universal Actions. */
describe('local Teams: when a card refreshes by itself', () => {
  it('only for the people listed in refresh.userIds; an empty list means manual refresh only', () => {
    expect(automaticRefresh(card({ action, userIds: ['29:megan'] }), '29:megan', 500)).to.deep.equal({ verb: 'refresh', data: { incidentId: 'i1' } });
    expect(automaticRefresh(card({ action, userIds: ['29:megan'] }), '29:lee', 5)).to.equal(undefined);
    expect(automaticRefresh(card({ action, userIds: [] }), '29:megan', 5)).to.equal(undefined);
  });

  it(`without userIds, for everyone in conversations of at most ${AUTO_REFRESH_MAX_MEMBERS} members, and for nobody in larger ones`, () => {
    expect(automaticRefresh(card({ action }), '29:lee', AUTO_REFRESH_MAX_MEMBERS)).to.not.equal(undefined);
    expect(automaticRefresh(card({ action }), '29:lee', AUTO_REFRESH_MAX_MEMBERS + 1)).to.equal(undefined);
  });

  it('never for a card without a refresh Action.Execute', () => {
    expect(automaticRefresh(card(undefined), '29:lee', 2)).to.equal(undefined);
    expect(automaticRefresh(card({ action: { type: 'Action.Submit', verb: 'refresh' } }), '29:lee', 2)).to.equal(undefined);
    expect(automaticRefresh(null, '29:lee', 2)).to.equal(undefined);
  });
});
