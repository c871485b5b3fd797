import { expect } from 'chai';
import { GraphWorkspace } from '../../adapters/graph/graphWorkspace.js';
import { createGraphClient, localTokens } from '../../adapters/graph/graphClient.js';
import { LocalTeams } from '../../local/localTeams.js';
import { LOCAL } from '../../local/defaults.js';
import { TEAM_DRIVE_ID } from '../../local/standins/graphFileRoutes.js';
import { PermanentError } from '../../models/support/errors.js';
import { failureOf } from '../helpers/failure.js';

/**
 * A file in a channel's folder: GraphWorkspace through the Graph stand-in, and the stand-in's
 * rules from Learn ("Get filesFolder"; "Upload or replace the contents of a driveItem").
 */
describe('files in the incident channel, through Graph', () => {
  let local: LocalTeams;
  let ws: GraphWorkspace;
  let channelId: string;
  const docx = { name: 'INC-7-postmortem-v1.docx', content: Buffer.from('PK\u0003\u0004 not really a zip'), contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' };
  const raw = (method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}) =>
    fetch(`${local.graph.url}/v1.0${path}`, { method, body: init.body, headers: { Authorization: 'Bearer local', ...init.headers } });

  beforeEach(async () => {
    local = await LocalTeams.start({ teamId: LOCAL.teamId, appCatalogId: LOCAL.appCatalogId, meetingOrganizers: [LOCAL.meetingOrganizerId] });
    ws = new GraphWorkspace(createGraphClient(local.graph.url, localTokens), { teamId: LOCAL.teamId, appCatalogId: LOCAL.appCatalogId, meetingOrganizerId: LOCAL.meetingOrganizerId, graphBaseUrl: 'https://graph.microsoft.com', botAppId: local.world.botAppId });
    channelId = (await ws.createChannel({ displayName: 'inc-7-checkout', description: '' })).id;
  });
  afterEach(() => local.stop());

  it('puts the file in the channel’s folder, and the same name again replaces it (one file, same link)', async () => {
    const first = await ws.fileInChannel(channelId, docx);
    expect(first.name).to.equal(docx.name);
    expect(first.webUrl).to.match(/\/Shared%20Documents\/inc-7-checkout\/INC-7-postmortem-v1\.docx$/);
    const again = await ws.fileInChannel(channelId, { ...docx, content: Buffer.from('PK second version') });
    expect(again).to.deep.equal(first);
    const files = [...local.world.files.values()];
    expect(files).to.have.length(1);
    // The bytes arrive as they were sent (a binary body, not JSON).
    expect(files[0]!.content.toString()).to.equal('PK second version');
    expect(files[0]!.contentType).to.equal(docx.contentType);
  });

  it('without Files.ReadWrite.All, Graph refuses with 403 and the error names the permission to grant', async () => {
    local.graph.granted.delete('Files.ReadWrite.All');
    const error = await failureOf(ws.fileInChannel(channelId, docx));
    expect(error).to.be.instanceOf(PermanentError);
    expect((error as Error).message).to.contain('Files.ReadWrite.All');
    // Reading the folder alone is allowed by File.Read.Group (RSC) or Files.Read.All; the upload is not.
    local.graph.granted.add('Files.Read.All');
    const folder = await raw('GET', `/teams/${LOCAL.teamId}/channels/${encodeURIComponent(channelId)}/filesFolder`);
    expect(folder.status).to.equal(200);
    const item = (await folder.json()) as { id: string; parentReference: { driveId: string } };
    expect(item.parentReference.driveId).to.equal(TEAM_DRIVE_ID);
    const upload = await raw('PUT', `/drives/${TEAM_DRIVE_ID}/items/${item.id}:/x.docx:/content`, { body: 'x', headers: { 'Content-Type': 'text/plain' } });
    expect(upload.status).to.equal(403);
  });

  it('refuses what Graph refuses: OData options on filesFolder, no Content-Type, an empty body, a name SharePoint does not allow, an unknown folder', async () => {
    const folder = (await (await raw('GET', `/teams/${LOCAL.teamId}/channels/${encodeURIComponent(channelId)}/filesFolder`)).json()) as { id: string };
    expect((await raw('GET', `/teams/${LOCAL.teamId}/channels/${encodeURIComponent(channelId)}/filesFolder?$select=id`)).status).to.equal(400);
    const put = (name: string, init: { body?: BodyInit; headers?: Record<string, string> }, parent = folder.id) => raw('PUT', `/drives/${TEAM_DRIVE_ID}/items/${parent}:/${encodeURIComponent(name)}:/content`, init);
    expect((await put('a.docx', { body: new Uint8Array([1, 2]) })).status).to.equal(400);
    expect((await put('a.docx', { body: '', headers: { 'Content-Type': 'text/plain' } })).status).to.equal(400);
    const bad = await put('what?.docx', { body: 'x', headers: { 'Content-Type': 'text/plain' } });
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).to.equal('invalidRequest');
    expect((await put('a.docx', { body: 'x', headers: { 'Content-Type': 'text/plain' } }, 'folder-nowhere')).status).to.equal(404);
    expect((await put('a.docx', { body: 'x', headers: { 'Content-Type': 'text/plain' } })).status).to.equal(201);
    expect((await put('A.DOCX', { body: 'y', headers: { 'Content-Type': 'text/plain' } })).status).to.equal(200);
  });
});
