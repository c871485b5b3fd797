/**
 * The Graph stand-in's group chats, as Microsoft Graph v1.0 documents them: "Create chat"
 * (POST /chats, `chatType` and `members` required, every participant listed as an
 * aadUserConversationMember bound to a user with `roles` owner or guest; 201 with the chat),
 * "List members of a chat", "Add member to a chat" (201 with a Location header) and "Remove
 * member from chat" (204). Limits from Teams' limits page: 250 people in a chat, at most 200
 * added at a time. Graph documents no code or message for going over them (marked [not doc] in
 * docs/microsoft-rules.md): the stand-in answers 403 with a plain message.
 */
import type { Request, Response } from 'restify';
import type { FakeChat, FakeChatMember, TeamsWorld } from '../world/teamsWorld.js';
import type { Handler } from './http.js';
import { graphError } from './graphStandIn.js';

interface Routes {
  get(path: string, handler: Handler): unknown;
  post(path: string, handler: Handler): unknown;
  del(path: string, handler: Handler): unknown;
}

export interface ChatLimits {
  /** People in one chat (Teams' limits page: 250). */
  maxMembers: number;
  /** People added to a group chat at a time (Teams' limits page: 200). */
  maxAddedAtOnce: number;
}

export interface ChatRouteDeps {
  readonly world: TeamsWorld;
  readonly bindBase: () => string;
  readonly limits: ChatLimits;
}

export const CHAT_LIMITS: ChatLimits = { maxMembers: 250, maxAddedAtOnce: 200 };

const MEMBER_TYPE = '#microsoft.graph.aadUserConversationMember';

function memberJson(m: FakeChatMember) {
  return { '@odata.type': MEMBER_TYPE, id: m.id, roles: m.roles, displayName: m.displayName, userId: m.userId, email: null, visibleHistoryStartDateTime: '0001-01-01T00:00:00Z' };
}

function chatJson(world: TeamsWorld, chat: FakeChat) {
  return { id: chat.id, topic: chat.topic ?? null, chatType: chat.chatType ?? 'meeting', createdDateTime: new Date().toISOString(), webUrl: `${world.viewBaseUrl}/view/chats/${encodeURIComponent(chat.id)}` };
}

/** A conversationMember from a request body, or why Graph refuses it. */
function parseMember(world: TeamsWorld, bindBase: string, chatId: string, value: unknown): FakeChatMember | string {
  const body = (value ?? {}) as Record<string, unknown>;
  if (body['@odata.type'] !== MEMBER_TYPE) return `Each member must be '${MEMBER_TYPE}'.`;
  const roles = body.roles;
  if (!Array.isArray(roles) || roles.some((r) => r !== 'owner' && r !== 'guest')) return "Each member needs 'roles': ['owner'] (or ['guest'] for an in-tenant guest).";
  const binding = body['user@odata.bind'];
  const userId = typeof binding === 'string' && binding.startsWith(`${bindBase}/v1.0/users`) ? /users(?:\('([^']+)'\)|\/([^/]+))$/.exec(binding) : undefined;
  const id = userId?.[1] ?? userId?.[2];
  if (!id) return "Each member needs 'user@odata.bind' naming a user.";
  const person = world.people.find((p) => p.aadObjectId === id || p.email.toLowerCase() === id.toLowerCase());
  if (!person) return `User ${id} was not found.`;
  return { id: `member-${chatId}-${person.aadObjectId}`, userId: person.aadObjectId, displayName: person.name, roles: roles as string[] };
}

export function mountChatRoutes(route: Routes, deps: ChatRouteDeps): void {
  const { world, limits } = deps;
  const bad = (res: Response, message: string) => res.send(400, graphError(400, 'BadRequest', message));
  const groupChat = (req: Request, res: Response): FakeChat | undefined => {
    const chat = world.chats.get(decodeURIComponent(req.params.chat));
    if (!chat) res.send(404, graphError(404, 'NotFound', 'Chat not found.'));
    return chat;
  };

  route.post('/v1.0/chats', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.chatType !== 'group' && body.chatType !== 'oneOnOne') return bad(res, "Property 'chatType' is required: 'group' or 'oneOnOne'.");
    if (body.chatType === 'oneOnOne') return bad(res, 'This stand-in makes group chats only.');
    if (body.topic !== undefined && typeof body.topic !== 'string') return bad(res, "Property 'topic' must be a string.");
    // v1.0 takes no installedApps in the create body (beta only): the app is added afterwards.
    if (body.installedApps !== undefined) return bad(res, "Property 'installedApps' is not supported in v1.0.");
    if (!Array.isArray(body.members) || body.members.length === 0) return bad(res, "Property 'members' is required: every participant of the chat.");
    if (body.members.length > limits.maxAddedAtOnce) return void res.send(403, graphError(403, 'Forbidden', `At most ${limits.maxAddedAtOnce} members can be added to a group chat at a time.`));
    if (body.members.length > limits.maxMembers) return void res.send(403, graphError(403, 'Forbidden', `A chat can have at most ${limits.maxMembers} members.`));
    const provisionalId = `pending-${world.nextId()}`;
    const members: FakeChatMember[] = [];
    for (const raw of body.members) {
      const member = parseMember(world, deps.bindBase(), provisionalId, raw);
      if (typeof member === 'string') return bad(res, member);
      if (!members.some((m) => m.userId === member.userId)) members.push(member);
    }
    const chat = world.createGroupChat(body.topic as string | undefined, []);
    chat.members = members.map((m) => ({ ...m, id: `member-${chat.id}-${m.userId}` }));
    res.send(201, chatJson(world, chat));
  });

  route.get('/v1.0/chats/:chat/members', async (req, res) => {
    const chat = groupChat(req, res);
    if (chat) res.send(200, { value: (chat.members ?? []).map(memberJson) });
  });

  route.post('/v1.0/chats/:chat/members', async (req, res) => {
    const chat = groupChat(req, res);
    if (!chat) return;
    if (chat.chatType !== 'group') return bad(res, 'Members can be added to group chats only.');
    const member = parseMember(world, deps.bindBase(), chat.id, req.body);
    if (typeof member === 'string') return bad(res, member);
    const members = (chat.members ??= []);
    const existing = members.find((m) => m.userId === member.userId);
    if (!existing && members.length >= limits.maxMembers) return void res.send(403, graphError(403, 'Forbidden', `A chat can have at most ${limits.maxMembers} members.`));
    const added = existing ?? member;
    if (!existing) members.push(added);
    res.setHeader('Location', `/chats/${chat.id}/members/${added.id}`);
    res.send(201, memberJson(added));
  });

  route.del('/v1.0/chats/:chat/members/:member', async (req, res) => {
    const chat = groupChat(req, res);
    if (!chat) return;
    const id = decodeURIComponent(req.params.member);
    const members = chat.members ?? [];
    const index = members.findIndex((m) => m.id === id);
    if (index < 0) return void res.send(404, graphError(404, 'NotFound', 'Member not found.'));
    members.splice(index, 1);
    res.send(204);
  });
}
