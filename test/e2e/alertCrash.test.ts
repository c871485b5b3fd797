import { expect } from 'chai';
import { LOCAL } from '../../local/defaults.js';
import { crashRig, type SpawnedApp } from '../helpers/spawnedApp.js';
import { eventually } from '../helpers/testApp.js';

/**
 * SIGKILL an app process in the middle of an alert storm — some alerts answered 202 and not yet
 * processed, others stored but never answered, others in flight — then the monitor retries what
 * got no answer (and replays some that did) against the next process: every alert is counted
 * exactly once on its fingerprint's one incident, and kept once.
 */
describe('killed with SIGKILL in the middle of an alert storm (spawned app processes)', function () {
  this.timeout(120_000);
  const rig = crashRig();

  const FINGERPRINTS = 4;
  const ALERTS = 1_200;
  const send = (app: SpawnedApp, n: number) =>
    fetch(`${app.url}/api/alerts/generic`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${LOCAL.alertSecret}` },
      body: JSON.stringify({ title: `Queue backlog ${n % FINGERPRINTS}`, fingerprint: `crash-fp-${n % FINGERPRINTS}`, id: `crash-${n}` }),
    }).then((r) => r.status, () => 0);

  it('loses no alert answered 202 and counts every alert once, on one incident per fingerprint', async () => {
    const first = await rig.spawn();
    const answered = new Set<number>();
    let next = 0;
    const storm = Promise.all(
      Array.from({ length: 24 }, async () => {
        for (let n = next++; n < ALERTS; n = next++) if ((await send(first, n)) === 202) answered.add(n);
      }),
    );
    await eventually(() => answered.size >= 500, 60_000, 'a good part of the storm answered');
    await first.kill();
    await storm;
    const inbox = rig.store.connection.collection('alert_inbox');
    expect(answered.size, 'killed mid-storm').to.be.below(ALERTS);
    expect(await inbox.countDocuments(), 'accepted alerts the dead process had not finished').to.be.above(0);

    // The next process sweeps what the dead one left once its leases run out; age them, as the
    // time a restart takes would. Meanwhile the monitor retries what got no answer, and replays
    // a hundred that did.
    await inbox.updateMany({}, { $set: { receivedAt: new Date(Date.now() - 60_000), 'lease.until': new Date(Date.now() - 1_000) } });
    const second = await rig.spawn();
    const retried = Array.from({ length: ALERTS }, (_, n) => n).filter((n) => !answered.has(n));
    for (const n of [...retried, ...[...answered].slice(0, 100)]) expect(await send(second, n), `alert ${n}`).to.equal(202);

    const alertCounts = async () => {
      const entries = await rig.store.connection.collection('timeline_events').find({ kind: 'alert_received' }).toArray();
      return entries.map((e) => (e.payload as { count: number }).count).sort((a, b) => a - b);
    };
    const perFingerprint = ALERTS / FINGERPRINTS;
    await eventually(async () => (await inbox.countDocuments()) === 0 && (await alertCounts()).every((c) => c === perFingerprint), 60_000, 'every alert processed');
    expect(await alertCounts(), 'one entry per incident, each counting its fingerprint’s alerts once').to.deep.equal(Array(FINGERPRINTS).fill(perFingerprint));
    expect(await rig.store.connection.collection('incidents').countDocuments(), 'one incident per fingerprint').to.equal(FINGERPRINTS);
    expect(await rig.store.connection.collection('alerts').countDocuments(), 'every alert kept once').to.equal(ALERTS);
  });
});
