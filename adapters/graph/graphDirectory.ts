import type { Client } from '@microsoft/microsoft-graph-client';
import type { Directory } from '../../models/ports/directory.js';
import { translateHttpError } from '../httpErrors.js';
import { permissionHint } from './permissions.js';

/** "user: checkMemberGroups" takes at most 20 group ids per request. */
const GROUPS_PER_REQUEST = 20;

/** Microsoft Entra ID through Graph: which of the access policy's groups a person is in (transitively). */
export class GraphDirectory implements Directory {
  constructor(private readonly graph: Client) {}

  async memberGroups(aadObjectId: string, groupIds: readonly string[]): Promise<string[]> {
    const found: string[] = [];
    for (let i = 0; i < groupIds.length; i += GROUPS_PER_REQUEST) {
      try {
        const answer = (await this.graph.api(`/users/${encodeURIComponent(aadObjectId)}/checkMemberGroups`).post({ groupIds: groupIds.slice(i, i + GROUPS_PER_REQUEST) })) as { value?: unknown };
        if (Array.isArray(answer.value)) found.push(...answer.value.filter((id): id is string => typeof id === 'string'));
      } catch (error) {
        throw translateHttpError(error, 'checking Entra group membership for the access policy', { 403: permissionHint('checkMemberGroups'), 404: 'The person is not in this directory.' });
      }
    }
    return found;
  }
}
