/**
 * How each kind of effect is delivered. Posts look for an earlier attempt's message before
 * sending again (the connector cannot be asked whether a send landed; the channel can); the
 * rest render or react from the record as it is, which is safe to repeat.
 */
import type { Incident, ProvisioningStep } from '../incident/incident.js';
import { incidentLabel } from '../incident/incident.js';
import type { ChangeReaction } from '../actions/actionRequest.js';
import { channelDescription } from '../actions/decisions.js';
import type { Logger } from '../ports/logger.js';
import type { Messenger } from '../ports/messenger.js';
import type { Workspace } from '../ports/workspace.js';
import { TransientError } from '../support/errors.js';
import { md } from '../support/markdown.js';
import { deliveryMarker, type BroadcastReply, type ChannelPost, type EffectKind, type Reactions } from './effects.js';
import { NotReady, type EffectHandler } from './effectWorker.js';
import type { BroadcastMode } from '../incident/incidentTypes.js';

export interface EffectHandlerDeps {
  readonly messenger: Pick<Messenger, 'postUpdateInChannel' | 'replyInBroadcast' | 'updateIncidentCard' | 'updateBroadcast'>;
  readonly workspace: Pick<Workspace, 'updateChannelDescription' | 'findMarkedMessage'>;
  /** What follows every change, by name (the name records that it ran). */
  readonly reactions: () => ReadonlyMap<string, ChangeReaction>;
  /** The team of the broadcast channel, when it is not the incidents team. */
  readonly broadcastTeamId?: string;
  /** What the broadcast shows of this incident (its type's mode); undefined: everything. */
  readonly broadcastOf?: (incident: Incident) => BroadcastMode;
  readonly log: Logger;
}

/** Still being provisioned: the step will set what this effect needs. */
function notReadyYet(incident: Incident, step: ProvisioningStep): boolean {
  return incident.provisioning.steps[step]?.status === 'pending';
}

export function effectHandlers(deps: EffectHandlerDeps): Readonly<Record<EffectKind, EffectHandler>> {
  const { messenger, workspace } = deps;
  return {
    channelPost: {
      async deliver(incident, effect, context) {
        const post = effect as ChannelPost;
        if (incident.private) {
          // Its group chat, or each member's personal chat: the messenger knows which, and never a channel.
          if (notReadyYet(incident, 'channel')) throw new NotReady(`${incidentLabel(incident)} has no private chat yet`);
          await context.sending();
          return void (await messenger.postUpdateInChannel(incident, md`${post.text}`, post.by, deliveryMarker(post)));
        }
        if (!incident.channel) {
          if (notReadyYet(incident, 'channel')) throw new NotReady(`${incidentLabel(incident)} has no channel yet`);
          return; // The channel could not be made: the update is on the timeline and the card.
        }
        const marker = deliveryMarker(post);
        if (context.maybeSent && (await workspace.findMarkedMessage({ channelId: incident.channel.id }, marker))) return;
        await context.sending();
        // The update is what the person typed: the channel reads it as typed, escaped.
        await messenger.postUpdateInChannel(incident, md`${post.text}`, post.by, marker);
      },
    },
    broadcastReply: {
      async deliver(incident, effect, context) {
        const reply = effect as BroadcastReply;
        const root = incident.broadcast;
        if (!root) {
          if (notReadyYet(incident, 'broadcast')) throw new NotReady(`${incidentLabel(incident)} has no broadcast yet`);
          return; // No broadcast channel, or posting there failed for good.
        }
        // A redacted broadcast is one line; the updates (what people typed) stay in the incident channel.
        if ((deps.broadcastOf?.(incident) ?? 'full') !== 'full') return;
        const marker = deliveryMarker(reply);
        const channelId = root.conversationId.split(';messageid=')[0]!;
        if (context.maybeSent && (await workspace.findMarkedMessage({ channelId, teamId: deps.broadcastTeamId, replyTo: root.activityId }, marker))) return;
        await context.sending();
        await messenger.replyInBroadcast(incident, md`${reply.text}`, reply.by, marker);
      },
    },
    topic: {
      async deliver(incident) {
        if (incident.channel) await workspace.updateChannelDescription(incident.channel.id, channelDescription(incident));
      },
    },
    refresh: {
      async deliver(incident) {
        // Both render the record as it is now; repeating either is harmless.
        const results = await Promise.allSettled([incident.card && messenger.updateIncidentCard(incident), incident.broadcast && messenger.updateBroadcast(incident)]);
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      },
    },
    react: {
      async deliver(incident, effect, context) {
        const { event } = effect as Reactions;
        const pending = [...deps.reactions()].filter(([name]) => !context.done.includes(name));
        let retry: unknown;
        // Each reaction runs once: those that finished are recorded, a throttled one is tried again later.
        for (const [name, reaction] of pending) {
          try {
            await reaction.incidentChanged(incident, event);
          } catch (error) {
            if (error instanceof TransientError) {
              retry = error;
              continue;
            }
            deps.log.warn({ incident: incidentLabel(incident), reaction: name, err: (error as Error).message }, 'a reaction to a change failed');
          }
          await context.ran(name);
        }
        if (retry) throw retry;
      },
    },
  };
}
