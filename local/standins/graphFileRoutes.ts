/**
 * The Graph stand-in's channel files, as Microsoft Learn documents them:
 * - "Get filesFolder" (`GET /teams/{id}/channels/{id}/filesFolder`): the driveItem of the channel's
 *   folder in the team's SharePoint document library; no OData query options.
 * - "Upload or replace the contents of a driveItem", simple upload
 *   (`PUT /drives/{drive-id}/items/{parent-id}:/{filename}:/content`): the file's bytes as the body
 *   (Content-Type required), at most 250 MB; a new name answers 201 with the driveItem, the same
 *   name again replaces the content (200, same item id). Names SharePoint refuses are refused.
 * Permissions are checked before these routes run (graphPermissions.ts).
 */
import type { Request, Response } from 'restify';
import type { FakeChannel, TeamsWorld } from '../world/teamsWorld.js';
import type { Handler } from './http.js';
import { graphError } from './graphStandIn.js';

interface Routes {
  get(path: string, handler: Handler): unknown;
  put(path: string, handler: Handler): unknown;
}

export interface FileRouteDeps {
  readonly world: TeamsWorld;
  readonly channel: (req: Request, res: Response) => FakeChannel | undefined;
}

/** The incidents team's document library: one drive, a folder per channel. */
export const TEAM_DRIVE_ID = 'b!incidents-team-documents';
const SIMPLE_UPLOAD_LIMIT = 250 * 1024 * 1024;
/** Characters SharePoint does not allow in file names, and names that cannot be used. */
const BAD_NAME = /["*:<>?/\\|\u0000-\u001f]|^\s|\s$|\.$/;
const RESERVED = /^(\.lock|CON|PRN|AUX|NUL|COM\d|LPT\d|desktop\.ini|_vti_)$/i;

const folderId = (channel: FakeChannel) => `folder-${channel.id.replace(/[^A-Za-z0-9]/g, '')}`;
const libraryUrl = (world: TeamsWorld) => `${world.viewBaseUrl}/sites/incidents/Shared%20Documents`;

function folderItem(world: TeamsWorld, channel: FakeChannel) {
  return {
    id: folderId(channel),
    name: channel.displayName,
    webUrl: `${libraryUrl(world)}/${encodeURIComponent(channel.displayName)}`,
    createdDateTime: channel.createdDateTime,
    parentReference: { driveId: TEAM_DRIVE_ID, driveType: 'documentLibrary' },
    folder: { childCount: [...world.files.values()].filter((f) => f.folderId === folderId(channel)).length },
  };
}

export function mountFileRoutes(route: Routes, deps: FileRouteDeps): void {
  const { world } = deps;
  route.get('/v1.0/teams/:team/channels/:channel/filesFolder', async (req, res) => {
    const channel = deps.channel(req, res);
    if (!channel) return;
    if (Object.keys(req.query ?? {}).some((k) => k.startsWith('$'))) return void res.send(400, graphError(400, 'BadRequest', 'This method does not support OData query parameters.'));
    res.send(200, folderItem(world, channel));
  });

  route.put('/v1.0/drives/:drive/items/:parent/:name/content', async (req, res) => {
    // The path is `/items/{parent-id}:/{filename}:/content`: two segments, each ending in a colon.
    const target = `${decodeURIComponent(String(req.params.parent))}/${decodeURIComponent(String(req.params.name))}`;
    const parsed = /^([^:/]+):\/([^/]+):$/.exec(target);
    if (req.params.drive !== TEAM_DRIVE_ID) return void res.send(404, graphError(404, 'itemNotFound', 'The drive does not exist.'));
    if (!parsed) return void res.send(400, graphError(400, 'invalidRequest', 'Expected /items/{parent-id}:/{filename}:/content.'));
    const [, parentId, name] = parsed as unknown as [string, string, string];
    const channel = [...world.channels.values()].find((c) => folderId(c) === parentId && !c.deleted);
    if (!channel) return void res.send(404, graphError(404, 'itemNotFound', 'The parent item does not exist.'));
    if (BAD_NAME.test(name) || RESERVED.test(name) || name.length > 255) return void res.send(400, graphError(400, 'invalidRequest', `The file name "${name}" is not allowed.`));
    if (!req.headers['content-type']) return void res.send(400, graphError(400, 'invalidRequest', 'Content-Type is required.'));
    const body = req.body;
    const bytes = Buffer.isBuffer(body) ? body : typeof body === 'string' ? Buffer.from(body) : undefined;
    if (!bytes || bytes.length === 0) return void res.send(400, graphError(400, 'invalidRequest', 'The request body must be the file’s content.'));
    if (bytes.length > SIMPLE_UPLOAD_LIMIT) return void res.send(413, graphError(413, 'requestEntityTooLarge', 'Simple upload takes files up to 250 MB; use an upload session.'));
    const key = `${parentId}/${name.toLowerCase()}`;
    const existing = world.files.get(key);
    const now = new Date().toISOString();
    const item = {
      id: existing?.id ?? `item-${world.files.size + 1}-${parentId}`,
      folderId: parentId,
      name,
      content: bytes,
      contentType: String(req.headers['content-type']),
      createdDateTime: existing?.createdDateTime ?? now,
      lastModifiedDateTime: now,
      webUrl: `${folderItem(world, channel).webUrl}/${encodeURIComponent(name)}`,
    };
    world.files.set(key, item);
    res.send(existing ? 200 : 201, {
      id: item.id,
      name,
      size: bytes.length,
      webUrl: item.webUrl,
      createdDateTime: item.createdDateTime,
      lastModifiedDateTime: now,
      file: { mimeType: item.contentType },
      parentReference: { driveId: TEAM_DRIVE_ID, driveType: 'documentLibrary', id: parentId },
    });
  });
}
