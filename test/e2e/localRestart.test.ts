import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { loadConfig } from '../../config.js';
import { startApp, type RunningApp } from '../../server.js';
import { LOCAL } from '../../local/defaults.js';
import { teamsActivity, toBot } from '../../local/teamsActivities.js';
import { eventually } from '../helpers/testApp.js';

/**
 * Local mode like a pilot: declare, stop, start again: the incident, its channel with its card,
 * and the numbering are all still there (the embedded database and local Teams are kept in the
 * data folder), and `LOCAL_DATA_DIR=none` starts from nothing.
 */
describe('local mode keeps its data between restarts', function () {
  this.timeout(60_000);
  const settings = (dataDir: string) => ({ PORT: '0', LOG_LEVEL: 'silent', LOCAL_GRAPH_PORT: '0', LOCAL_CONNECTOR_PORT: '0', LOCAL_ENTRA_PORT: '0', LOCAL_DATA_DIR: dataDir });
  const declare = (app: RunningApp, title: string) =>
    fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(teamsActivity({ serviceUrl: `${app.local!.connector.url}/`, tenantId: LOCAL.tenantId }, { type: 'message', id: randomUUID(), from: { id: '29:alex', name: 'Alex Wilber', aadObjectId: LOCAL.adminAadObjectId }, ...toBot(`declare ${title}`) })),
    });
  const provisioned = (app: RunningApp, count: number) =>
    eventually(async () => {
      const open = await app.database.store.listOpen(LOCAL.tenantId, 10);
      return open.length >= count && open.every((i) => i.provisioning.complete) ? open : undefined;
    });

  it('declare, stop, start: the incident, its channel and card, and the numbering are there', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'local-restart-')), 'data');
    const first = await startApp(loadConfig(settings(dataDir)), { timers: false });
    expect((await declare(first, 'Checkout API returns 500s')).status).to.equal(200);
    const [incident] = await provisioned(first, 1);
    await first.close();

    const second = await startApp(loadConfig(settings(dataDir)), { timers: false });
    try {
      const again = await second.database.store.findByNumber(LOCAL.tenantId, 1);
      expect(again?.title).to.equal('Checkout API returns 500s');
      expect(again!.milestones.declared, 'dates are dates after a restart').to.be.instanceOf(Date);
      const channel = second.local!.world.channels.get(incident!.channel!.id);
      expect(channel?.displayName).to.equal(incident!.channel!.name);
      expect(second.local!.world.cardsIn(incident!.channel!.id)).to.have.length(1);
      expect(await second.database.store.listEvents(incident!.id)).to.not.deep.equal([]);
      expect((await declare(second, 'Search is slow')).status).to.equal(200);
      const both = await provisioned(second, 2);
      expect(both.map((i) => i.number).sort()).to.deep.equal([1, 2]);
    } finally {
      await second.close();
    }
  });

  it('with LOCAL_DATA_DIR=none keeps nothing', async () => {
    const first = await startApp(loadConfig(settings('none')), { timers: false });
    await declare(first, 'Gone after a restart');
    await provisioned(first, 1);
    await first.close();
    const second = await startApp(loadConfig(settings('none')), { timers: false });
    try {
      expect(await second.database.store.listOpen(LOCAL.tenantId, 10)).to.deep.equal([]);
    } finally {
      await second.close();
    }
  });
});
