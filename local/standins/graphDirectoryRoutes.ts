/**
 * The Graph stand-in's directory and installation answers: "user: checkMemberGroups" (the access
 * policy's Entra groups) and "List permissionGrants of a team" (what `npm run doctor` reads), with
 * the shapes and errors their Microsoft Learn pages give.
 */
import type { Request, Response } from 'restify';
import type { TeamsWorld } from '../world/teamsWorld.js';
import type { Handler } from './http.js';
import { graphError } from './graphStandIn.js';

interface Routes {
  get(path: string, handler: Handler): unknown;
  post(path: string, handler: Handler): unknown;
}

export interface DirectoryRouteDeps {
  readonly world: TeamsWorld;
  readonly granted: ReadonlySet<string>;
  readonly url: () => string;
  readonly team: (req: Request, res: Response) => boolean;
}

function inGroup(world: TeamsWorld, user: string, groupId: string, seen: Set<string>): boolean {
  const group = world.groups.get(groupId);
  if (!group || seen.has(groupId)) return false;
  seen.add(groupId);
  return group.members.has(user) || [...group.groups].some((nested) => inGroup(world, user, nested, seen));
}

export function mountDirectoryRoutes(route: Routes, deps: DirectoryRouteDeps): void {
    // "user: checkMemberGroups": of the given groups (at most 20), those the user is in, through nested groups too.
    route.post('/v1.0/users/:user/checkMemberGroups', async (req, res) => {
      const user = decodeURIComponent(req.params.user).toLowerCase();
      if (!deps.world.people.some((p) => p.aadObjectId.toLowerCase() === user)) return void res.send(404, graphError(404, 'Request_ResourceNotFound', `Resource '${user}' does not exist or one of its queried reference-property objects are not present.`));
      const groupIds = (req.body as { groupIds?: unknown } | undefined)?.groupIds;
      if (!Array.isArray(groupIds) || groupIds.length === 0 || !groupIds.every((id) => typeof id === 'string')) return void res.send(400, graphError(400, 'Request_BadRequest', 'groupIds must be a non-empty list of group ids.'));
      if (groupIds.length > 20) return void res.send(400, graphError(400, 'Request_BadRequest', 'A maximum of 20 groups can be checked per request.'));
      res.send(200, { value: (groupIds as string[]).filter((id) => inGroup(deps.world, user, id.toLowerCase(), new Set())) });
    });
    // "List permissionGrants of a team": the RSC grants each app received when installed in the team.
    route.get('/v1.0/teams/:team/permissionGrants', async (req, res) => {
      if (!deps.team(req, res)) return;
      const rsc = [...deps.granted].filter((permission) => permission.endsWith('.Group'));
      res.send(200, {
        '@odata.context': `${deps.url()}/v1.0/$metadata#permissionGrants`,
        value: rsc.map((permission) => ({
          id: Buffer.from(`${deps.world.botAppId}##${permission}`).toString('base64url'),
          deletedDateTime: null,
          clientId: `sp-${deps.world.botAppId}`,
          clientAppId: deps.world.botAppId,
          resourceAppId: '00000003-0000-0000-c000-000000000000',
          permissionType: 'Application',
          permission,
        })),
      });
    });
}
