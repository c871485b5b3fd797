/**
 * The Graph stand-in's "Update onlineMeeting" (`PATCH /users/{userId}/onlineMeetings/{meetingId}`),
 * as Microsoft Learn documents it: with application permission only for an organizer the
 * tenant's application access policy covers (403 otherwise); the participants' attendees are
 * replaced by the full list sent (the organizer cannot be changed); lobbyBypassSettings.scope is
 * one of the documented values. 200 with the meeting.
 */
import type { FakeMeeting, TeamsWorld } from '../world/teamsWorld.js';
import type { Handler } from './http.js';
import { graphError } from './graphStandIn.js';

interface Routes {
  patch(path: string, handler: Handler): unknown;
}

const LOBBY_SCOPES = ['organizer', 'organization', 'organizationAndFederated', 'everyone', 'invited', 'organizationExcludingGuests'] as const;

export function mountMeetingRoutes(route: Routes, deps: { readonly world: TeamsWorld; readonly meetingJson: (m: FakeMeeting) => unknown }): void {
  const { world } = deps;
  route.patch('/v1.0/users/:user/onlineMeetings/:meeting', async (req, res) => {
    const user = decodeURIComponent(req.params.user);
    if (!world.meetingOrganizers.has(user)) return void res.send(403, graphError(403, 'Forbidden', 'No application access policy found for this app.'));
    // By the online meeting's id: a calendar event's meeting is changed here too, by the id Graph listed for its join link.
    const meeting = world.onlineMeeting(decodeURIComponent(req.params.meeting));
    if (!meeting || meeting.organizerId !== user) return void res.send(404, graphError(404, 'NotFound', 'The online meeting was not found.'));
    const body = (req.body ?? {}) as { participants?: { organizer?: unknown; attendees?: unknown }; lobbyBypassSettings?: { scope?: unknown } };
    const bad = (message: string) => res.send(400, graphError(400, 'BadRequest', message));
    if (body.participants?.organizer !== undefined) return bad('The organizer of the meeting cannot be updated.');
    let attendees: string[] | undefined;
    if (body.participants?.attendees !== undefined) {
      const list = body.participants.attendees;
      if (!Array.isArray(list)) return bad('participants.attendees must be the full list of attendees.');
      attendees = [];
      for (const a of list as { identity?: { user?: { id?: unknown } }; upn?: unknown }[]) {
        const id = a.identity?.user?.id;
        if (typeof id !== 'string' || !id) return bad('Each attendee needs identity.user.id.');
        attendees.push(id);
      }
    }
    const scope = body.lobbyBypassSettings?.scope;
    if (scope !== undefined && !LOBBY_SCOPES.includes(scope as never)) return bad(`lobbyBypassSettings.scope must be one of ${LOBBY_SCOPES.join(', ')}.`);
    if (attendees) meeting.attendees = attendees;
    if (scope !== undefined) meeting.lobbyScope = scope as string;
    res.send(200, deps.meetingJson(meeting));
  });
}
