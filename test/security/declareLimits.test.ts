/**
 * `declare` cannot be used to flood the tenant: people outside the incidents team cannot declare
 * (see accessPolicyEndToEnd), each person and the organisation have hourly limits with a clear
 * answer, and the team's 1,000-channel cap (deleted channels count for 30 days) is checked before
 * a channel is created: a warning from 80%, no channel attempted near the cap, the incident kept.
 */
import { expect } from 'chai';
import { ALEX, LEE, MEGAN, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { provisioned, startTestApp, TENANT, tenantConfigFile, type TestApp } from '../helpers/testApp.js';
import { REFUSE_AT, WARN_AT } from '../../models/warRoom/channelBudget.js';
import { movableClock } from '../helpers/clock.js';


describe('security: declare limits and the channel budget', function () {
  this.timeout(60_000);
  let room: IncidentRoom | undefined;
  let t: TestApp | undefined;
  afterEach(async () => {
    await room?.close();
    await t?.close();
    room = t = undefined;
  });

  it('refuses a person’s declare over the hourly limit with a clear answer, creating nothing; others may still declare', async () => {
    room = await openIncidentRoom({ TENANT_CONFIG_FILE: tenantConfigFile({ default: { limits: { declaresPerPersonPerHour: 2, declaresPerTenantPerHour: 3 } } }) });
    const personal = 'a:alex-personal';
    expect((await room.say('declare Second one', { from: ALEX, conversationId: personal })).text ?? '').to.not.contain('could not declare');
    const third = await room.say('declare Third one', { from: ALEX, conversationId: personal });
    expect(third.text).to.contain('nothing was created').and.contain('you have declared 2 incidents in the last hour, the most one person may (2)');
    expect((await room.say('declare From Megan', { from: MEGAN, conversationId: 'a:megan-personal' })).text ?? '').to.not.contain('could not declare');
    const overTenant = await room.say('declare From Lee', { from: LEE, conversationId: 'a:lee-personal' });
    expect(overTenant.text).to.contain('3 incidents were declared here in the last hour, the most this organisation allows (3)');
    expect(await room.t.app.database.store.listOpen(TENANT, 50)).to.have.length(3);
  });

  it('warns from 80% of the team’s channels, and near the cap records the incident without attempting a channel', async () => {
    const clock = movableClock();
    t = await startTestApp({}, { clock });
    const world = t.local.world;
    const fill = (to: number) => {
      while (world.channels.size < to) world.createChannel({ displayName: `old-${world.channels.size}`, membershipType: 'standard' });
    };
    fill(WARN_AT);
    await t.message('declare Checkout is slow');
    const [warned] = await provisioned(t);
    const created = (await t.app.database.store.listEvents(warned!.id)).find((e) => e.kind === 'channel_created')!;
    expect(created.payload.warning).to.match(/the incidents team has 80\d of its 1000 channels \(80%\)/);

    fill(REFUSE_AT);
    clock.advanceMinutes(6); // the count is remembered for five minutes
    const posts = () => t!.local.graph.requests.filter((r) => r.method === 'POST' && /\/channels$/.test(r.path)).length;
    const before = posts();
    await t.message('declare Search is down');
    const full = (await provisioned(t, 2)).find((i) => i.title === 'Search is down')!;
    expect(full.provisioning.steps.channel.status).to.equal('failed');
    expect(full.provisioning.steps.channel.error).to.contain('there is no room for another channel').and.contain(`has ${REFUSE_AT} of its 1000 channels`);
    expect(posts(), 'no channel was attempted').to.equal(before);
  });
});
