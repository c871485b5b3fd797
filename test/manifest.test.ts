import { expect } from 'chai';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { loadConfig } from '../config.js';
import { buildManifest, packManifest } from '../manifest/build.js';

const REAL = {
  MICROSOFT_APP_ID: '11111111-2222-3333-4444-555555555555',
  MICROSOFT_APP_PASSWORD: 'secret',
  MICROSOFT_APP_TENANT_ID: '66666666-7777-8888-9999-000000000000',
  TEAMS_APP_ID: '99999999-8888-7777-6666-555555555555',
  TEAMS_TEAM_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  TEAMS_APP_CATALOG_ID: 'catalog',
  MONGODB_URI: 'mongodb://db:27017/x',
  PUBLIC_BASE_URL: 'https://incidents.contoso.com',
};

describe('Teams app manifest', () => {
  it('validates against the official v1.22 schema (offline) in local and real configurations', async () => {
    for (const env of [{}, REAL]) {
      const manifest = await buildManifest(loadConfig(env));
      expect(await AppManifestUtils.validateAgainstSchema(manifest as never)).to.deep.equal([]);
    }
  });

  it('wires the bot, the tab, SSO and the command list from configuration', async () => {
    const manifest = (await buildManifest(loadConfig(REAL))) as any;
    expect(manifest.id).to.equal(REAL.TEAMS_APP_ID);
    expect(manifest.bots[0].botId).to.equal(REAL.MICROSOFT_APP_ID);
    expect(manifest.webApplicationInfo).to.deep.equal({ id: REAL.MICROSOFT_APP_ID, resource: `api://incidents.contoso.com/${REAL.MICROSOFT_APP_ID}` });
    expect(manifest.configurableTabs[0].configurationUrl).to.equal('https://incidents.contoso.com/tab/config');
    expect(manifest.validDomains).to.deep.equal(['incidents.contoso.com']);
    expect(manifest.bots[0].commandLists[0].commands.map((c: { title: string }) => c.title)).to.deep.equal(['declare', 'ack', 'status', 'sev', 'role', 'update', 'summary', 'info', 'list', 'help']);
    expect(manifest.composeExtensions).to.deep.equal([
      {
        botId: REAL.MICROSOFT_APP_ID,
        commands: [
          { id: 'declareIncident', type: 'action', title: 'Declare incident', description: manifest.composeExtensions[0].commands[0].description, context: ['message'], fetchTask: true },
          { id: 'addToTimeline', type: 'action', title: 'Add to timeline', description: manifest.composeExtensions[0].commands[1].description, context: ['message'], fetchTask: true },
        ],
      },
    ]);
    expect(manifest.activities.activityTypes.map((t: { type: string; templateText: string }) => [t.type, t.templateText])).to.deep.equal([
      ['roleAssigned', '{assignedBy} made you {role} on {incident}'],
      ['paged', 'You are paged for {incident} ({level})'],
      ['escalated', '{incident} was escalated to you ({level})'],
      ['commandTaken', '{takenBy} took over command of {incident} from you'],
      ['actionAssigned', '{assignedBy} gave you an action item from {incident}'],
      ['actionDueSoon', 'Your action item from {incident} is due {due}'],
      ['actionOverdue', 'Your action item from {incident} is overdue (due {due})'],
    ]);
    expect(manifest.authorization.permissions.resourceSpecific.map((p: { name: string }) => p.name)).to.include('TeamsActivity.Send.Group');
    expect(JSON.stringify(manifest)).not.to.contain('${');
  });

  it('the validator catches a broken manifest', async () => {
    const manifest = (await buildManifest(loadConfig({}))) as any;
    manifest.accentColor = 'red';
    expect((await AppManifestUtils.validateAgainstSchema(manifest)).join()).to.contain('accentColor');
  });

  it('packs manifest.json and correctly sized icons into the zip', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'manifest-'));
    const zip = await JSZip.loadAsync(await readFile(await packManifest(loadConfig({}), dir)));
    expect(Object.keys(zip.files).sort()).to.deep.equal(['color.png', 'manifest.json', 'outline.png']);
    const size = async (name: string) => {
      const png = await zip.file(name)!.async('nodebuffer');
      return [png.readUInt32BE(16), png.readUInt32BE(20)];
    };
    expect(await size('color.png')).to.deep.equal([192, 192]);
    expect(await size('outline.png')).to.deep.equal([32, 32]);
  });
});
