/**
 * The sandbox as the tab's Teams host (browser side). The tab loads @microsoft/teams-js, as in
 * Teams, and talks to its parent window over postMessage; this answers what the tab uses the way
 * the Teams web client does. The wire format is teams-js 2.x's (dist/umd/MicrosoftTeams.js):
 *
 * - The app sends requests `{ id, uuidAsString, func, args, timestamp, apiVersionTag, … }`
 *   (createMessageRequest, serializeMessageRequest). The host answers `{ id, uuidAsString, args }`
 *   (createMessageResponse): the app matches answers by uuid, and by the numeric id of older hosts.
 * - `initialize` (initializeCommunication) wants `[frameContext, hostClientType, runtimeConfig as
 *   JSON, clientSupportedSDKVersion]`; the runtime's apiVersion must be 4 (latestRuntimeApiVersion).
 * - `getContext` (sendAndUnwrap) wants `[legacyContext]`, the flat shape
 *   transformLegacyContextToAppContext reads (userObjectId, tid, groupId, channelId, entityId…).
 * - `authentication.getAuthToken` wants `[true, token]` or `[false, reason]` (getAuthTokenHelper).
 * - `executeDeepLink` (app.openLink) wants `[true]` or `[false, reason]` (sendAndHandleStatusAndReason).
 * - `registerHandler` has no answer; events go the other way as `{ func, args }`
 *   (handleIncomingMessageFromParent), e.g. `{ func: 'themeChange', args: ['dark'] }`.
 *
 * teams-js takes messages from its own origin (verifyIncomingMessageOrigin): the sandbox serves the
 * tab from the page's origin, as Teams frames a tab of a valid domain. Only the framed tab's own
 * window is answered.
 */
export type HostTheme = 'default' | 'dark' | 'contrast';

export interface HostedPerson {
  /** The person's Teams id (29:…), as the sandbox names them. */
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string;
  readonly email: string;
}

/** Where the tab is shown: its entity id, the frame context, and the team and channel when it is a channel tab. */
export interface TabPlace {
  readonly entityId: string;
  readonly frameContext: 'content' | 'sidePanel';
  readonly channel?: { readonly id: string; readonly name: string };
  /** What a deep link to the tab named inside it (its context's `subEntityId`; teams-js' `page.subPageId`). */
  readonly subEntityId?: string;
}

/** What the host knows about the local tenant and team (GET /sandbox/api/host). */
export interface HostInfo {
  readonly tenantId: string;
  readonly team: { readonly internalId: string; readonly groupId: string; readonly name: string };
}

export interface TeamsHostDeps {
  readonly frame: () => HTMLIFrameElement | null;
  /** The person the sandbox acts as ("Act as"): the signed-in Teams user, for the tab. */
  readonly person: () => HostedPerson | undefined;
  readonly theme: () => HostTheme;
  readonly place: () => TabPlace | undefined;
  readonly info: () => Promise<HostInfo>;
  /** A Teams SSO token for this person, from the local Entra stand-in (through the sandbox's API). */
  readonly token: (person: HostedPerson) => Promise<string>;
  readonly openLink: (url: string) => void;
}

interface Request {
  readonly id: number;
  readonly uuidAsString?: string;
  readonly func: string;
  readonly args?: unknown[];
}

/** teams-js's ErrorCode.NOT_SUPPORTED_ON_PLATFORM: what a host answers for a capability it lacks. */
const NOT_SUPPORTED = 100;

/** What this host supports, as a Teams runtime config (apiVersion 4): what the incident tab uses. */
const RUNTIME = { apiVersion: 4, isLegacyTeams: false, hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } }, supports: { app: {}, pages: { tabs: {} }, teamsCore: {} } };

export class TeamsHost {
  /** Events the tab registered for since it last initialized (Teams sends themeChange only to those who asked). */
  private registered = new Set<string>();
  private readonly answers: Record<string, (args: unknown[]) => Promise<unknown[] | undefined>>;

  constructor(private readonly deps: TeamsHostDeps) {
    this.answers = {
      initialize: async (args) => {
        this.registered = new Set();
        // The host supports at least the SDK the tab brought (Teams keeps up with teams-js).
        return [this.place()?.frameContext ?? 'content', 'web', JSON.stringify(RUNTIME), String(args[0] ?? '2.0.1')];
      },
      getContext: async () => [await this.context()],
      'authentication.getAuthToken': async () => {
        const person = deps.person();
        if (!person) return [false, 'Nobody is signed in: pick someone in "Act as".'];
        try {
          return [true, await deps.token(person)];
        } catch (error) {
          return [false, (error as Error).message];
        }
      },
      executeDeepLink: async ([url]) => {
        if (typeof url !== 'string') return [false, 'No link to open.'];
        deps.openLink(url);
        return [true];
      },
      registerHandler: async ([name]) => {
        if (typeof name === 'string') this.registered.add(name);
        return undefined;
      },
    };
  }

  /** Listens for the tab's messages; call once, before the tab loads. */
  listen(): void {
    window.addEventListener('message', (event) => void this.onMessage(event));
  }

  /** The sandbox's theme changed: tell the tab, as Teams does. */
  themeChanged(): void {
    if (this.registered.has('themeChange')) this.post({ func: 'themeChange', args: [this.deps.theme()] });
  }

  private place(): TabPlace | undefined {
    return this.deps.place();
  }

  private async onMessage(event: MessageEvent): Promise<void> {
    const frame = this.deps.frame();
    if (!frame?.contentWindow || event.source !== frame.contentWindow || event.origin !== location.origin) return;
    const request = event.data as Partial<Request> | null;
    if (!request || typeof request.func !== 'string' || typeof request.id !== 'number') return;
    const answer = this.answers[request.func];
    const args = answer ? await answer(Array.isArray(request.args) ? request.args : []) : [{ errorCode: NOT_SUPPORTED, message: `The sandbox does not host ${request.func}.` }];
    if (args) this.post({ id: request.id, uuidAsString: request.uuidAsString, args });
  }

  private post(message: object): void {
    this.deps.frame()?.contentWindow?.postMessage(message, location.origin);
  }

  /** The legacy (flat) context Teams sends; teams-js turns it into app.Context. */
  private async context(): Promise<Record<string, unknown>> {
    const [info, person, place] = [await this.deps.info(), this.deps.person(), this.place()];
    return {
      locale: navigator.language || 'en-GB',
      theme: this.deps.theme(),
      hostClientType: 'web',
      hostName: 'Teams',
      appSessionId: crypto.randomUUID(),
      entityId: place?.entityId,
      frameContext: place?.frameContext ?? 'content',
      tid: info.tenantId,
      userObjectId: person?.aadObjectId,
      userPrincipalName: person?.email,
      loginHint: person?.email,
      userDisplayName: person?.name,
      ...(place?.channel
        ? { teamId: info.team.internalId, groupId: info.team.groupId, teamName: info.team.name, channelId: place.channel.id, channelName: place.channel.name, channelType: 'Regular' }
        : {}),
      ...(place?.subEntityId ? { subEntityId: place.subEntityId } : {}),
    };
  }
}
