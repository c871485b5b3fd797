/**
 * The post-mortem use cases: read (a saved version, or a draft pre-filled from the record and
 * timeline), save (versioned; two editors never silently overwrite each other) and publish
 * (summary in the channel; then, when configured, the channel is archived and the incident too).
 *
 * The text lives in the postmortems store; the incident only records that a version was saved
 * or published, through IncidentActions, so those facts reach the timeline and the card like
 * every other change.
 */
import type { Incident, Person } from '../incident/incident.js';
import type { IncidentActions } from '../actions/incidentActions.js';
import type { Clock } from '../ports/clock.js';
import type { IncidentStore } from '../ports/incidentStore.js';
import type { Logger } from '../ports/logger.js';
import type { Messenger } from '../ports/messenger.js';
import type { PostmortemStore, StoredPostmortem } from '../ports/postmortemStore.js';
import type { TimelineReader } from '../ports/timelineStore.js';
import type { Workspace } from '../ports/workspace.js';
import { blamelessWarnings, changedSections, draftPostmortem, parsePostmortem, stampActionItems, withItemIds, type PostmortemContent } from './postmortem.js';
import { conflictsOf, planMerge, type MergePlan } from './merge.js';
import { SYSTEM, type EventKind } from '../incident/timeline.js';
import type { TenantProfiles } from '../incident/tenantProfile.js';

import { postmortemDocument, type DocumentSource, type PostmortemDocument } from './postmortemDocument.js';
export interface PostmortemsDeps {
  readonly store: IncidentStore & TimelineReader & PostmortemStore;
  readonly actions: Pick<IncidentActions, 'run'>;
  readonly messenger: Pick<Messenger, 'postPostmortem'>;
  readonly workspace: Pick<Workspace, 'archiveChannel' | 'fileInChannel'>;
  readonly clock: Clock;
  readonly log: Logger;
  /** ARCHIVE_ON_PUBLISH: publishing a closed incident's post-mortem archives its channel. */
  readonly archiveOnPublish: boolean;
  /** FILE_POSTMORTEMS: publishing files the post-mortem, rendered this way, in the channel's files. */
  readonly filing?: PostmortemFiling;
  /** Each incident's type: the draft names it and its extra fields. */
  readonly types?: Pick<TenantProfiles, 'typeOf'>;
}

/** What the draft's timeline excerpt is made of: the story of the incident, not the plumbing. */
const STORY_KINDS: readonly EventKind[] = [
  'declared', 'acknowledged', 'role_assigned', 'status_changed', 'severity_changed', 'type_changed', 'summary_updated', 'update_posted',
  'paged', 'escalated', 'alert_received', 'topic_updated', 'data_loss_reported', 'note', 'key_message', 'resolved', 'closed',
];
const DRAFT_EVENT_LIMIT = 2000;

/** How a published post-mortem becomes a file (a Word document). */
export interface PostmortemFiling {
  render(document: PostmortemDocument): Promise<Uint8Array>;
  readonly extension: string;
  readonly contentType: string;
}

export interface PostmortemView {
  /** 0 when nothing is saved yet and `content` is the pre-filled draft. */
  readonly version: number;
  readonly content: PostmortemContent;
  readonly savedAt?: Date;
  readonly savedBy?: Person;
  readonly publishedVersion?: number;
  readonly warnings: ReturnType<typeof blamelessWarnings>;
}

export type SaveOutcome =
  | { readonly outcome: 'saved' | 'duplicate'; readonly view: PostmortemView }
  | {
      readonly outcome: 'conflict';
      readonly theirs: PostmortemView;
      readonly message: string;
      /** Sections the other editor changed since the version you started from (or, from the draft, where theirs differs from yours). */
      readonly changed: readonly string[];
      /** Section by section: who changed what, and for those both changed, what each choice gives. */
      readonly merge: MergePlan;
    }
  | { readonly outcome: 'invalid'; readonly problems: readonly { path: string; message: string }[] }
  | { readonly outcome: 'refused'; readonly message: string };

export interface PublishOutcome {
  /** needsConfirmation: the version has flagged wording and the publisher has not said to keep it. */
  readonly outcome: 'published' | 'refused' | 'duplicate' | 'needsConfirmation';
  readonly message: string;
  readonly warnings?: PostmortemView['warnings'];
  readonly archived?: boolean;
  /** The post-mortem is published, but telling Teams (summary, archive) failed. */
  readonly deliveryProblem?: string;
}

export class Postmortems {
  constructor(private readonly deps: PostmortemsDeps) {}

  async view(incident: Incident): Promise<PostmortemView> {
    const head = await this.deps.store.getPostmortem(incident.id);
    if (!head) {
      const events = await this.deps.store.pageEvents(incident.id, { order: 'asc', kinds: STORY_KINDS, limit: DRAFT_EVENT_LIMIT });
      const content = withItemIds(draftPostmortem(incident, events, this.deps.types?.typeOf(incident)));
      return { version: 0, content, warnings: blamelessWarnings(content) };
    }
    await this.catchUp(incident, head);
    return this.toView(head, incident.postmortem?.publishedVersion);
  }

  /** Every saved version, newest first (who and when; the text is fetched one version at a time). */
  async history(incident: Incident): Promise<{ version: number; savedAt: Date; savedBy: Person; published: boolean }[]> {
    const versions = await this.deps.store.listPostmortemVersions(incident.id);
    return versions.map((v) => ({ version: v.version, savedAt: v.savedAt, savedBy: v.savedBy, published: v.version === incident.postmortem?.publishedVersion }));
  }

  async version(incident: Incident, version: number): Promise<PostmortemView | undefined> {
    const stored = await this.deps.store.getPostmortemVersion(incident.id, version);
    return stored && this.toView(stored, incident.postmortem?.publishedVersion);
  }

  /** The post-mortem as a document (the latest, the draft before any save, or one saved version), for the Word and Markdown exports. */
  async document(incident: Incident, links: DocumentSource['links'], version?: number): Promise<PostmortemDocument | undefined> {
    const view = version === undefined ? await this.view(incident) : await this.version(incident, version);
    if (!view) return undefined;
    const { content, savedAt, savedBy } = view;
    return postmortemDocument({ incident, version: view.version, content, savedAt, savedBy, published: view.version > 0 && view.publishedVersion === view.version, links });
  }

  async save(incident: Incident, request: { by: Person; baseVersion: number; key: string; content: unknown }): Promise<SaveOutcome> {
    if (incident.status === 'archived') return { outcome: 'refused', message: 'This incident is archived; its post-mortem is read-only.' };
    const parsed = parsePostmortem(request.content);
    if ('problems' in parsed) return { outcome: 'invalid', problems: parsed.problems };
    // From an unsaved draft there is no common version to compare with: every difference is then the person's to decide.
    const base = request.baseVersion > 0 ? await this.deps.store.getPostmortemVersion(incident.id, request.baseVersion) : undefined;
    const now = this.deps.clock.now();
    const content = stampActionItems(base && withItemIds(base.content).actionItems, parsed.content, now);
    const result = await this.deps.store.savePostmortem(incident.id, incident.tenantId, request.baseVersion, request.key, content, request.by, now);
    if ('conflict' in result) {
      const theirs = this.toView(result.conflict, incident.postmortem?.publishedVersion);
      const merge = planMerge(base && withItemIds(base.content), theirs.content, parsed.content);
      const changed = changedSections(base ? withItemIds(base.content) : parsed.content, theirs.content);
      const both = conflictsOf(merge).map((s) => s.label);
      const what = changed.length > 0 ? ` They changed: ${changed.join(', ')}.` : '';
      const next = theirs.version + 1;
      return {
        outcome: 'conflict',
        theirs,
        changed,
        merge,
        message: `${theirs.savedBy!.name} saved version ${theirs.version} at ${theirs.savedAt!.toISOString().slice(11, 16)} UTC while you were editing version ${request.baseVersion}.${what} Nothing of yours was saved and your text is still in the form. ${
          both.length > 0 ? `You both changed ${both.join(', ')}: choose theirs, yours or both for each, then save the merge as version ${next}.` : `You changed different sections: save the merge as version ${next}.`
        }`,
      };
    }
    const stored = 'saved' in result ? result.saved : result.duplicate;
    await this.catchUp(incident, stored);
    return { outcome: 'saved' in result ? 'saved' : 'duplicate', view: this.toView(stored, incident.postmortem?.publishedVersion) };
  }

  /**
   * `keepFlaggedWording`: the publisher saw the blameless check's warnings and publishes anyway;
   * without it a version with flagged wording is not published (the tab asks first).
   */
  async publish(incident: Incident, request: { by: Person; version: number; key: string; tabUrl?: string; keepFlaggedWording?: boolean }): Promise<PublishOutcome> {
    const head = await this.deps.store.getPostmortem(incident.id);
    if (head) await this.catchUp(incident, head);
    const flagged = head && head.version === request.version && incident.postmortem?.publishedVersion !== request.version ? blamelessWarnings(head.content) : [];
    if (flagged.length > 0 && !request.keepFlaggedWording) {
      const places = flagged.map((w) => `“${w.phrase}” in ${w.where}`).join('; ');
      return { outcome: 'needsConfirmation', warnings: flagged, message: `Version ${request.version} has wording the blameless check flagged: ${places}. Nothing was published: edit it, or confirm you publish it as it is.` };
    }
    let latest = incident;
    let message: string;
    let deliveryProblem: string | undefined;
    if (head && incident.postmortem?.publishedVersion === request.version) {
      // Published before (e.g. while the incident was still resolved): publishing again only
      // finishes what is left, the archive.
      message = `Version ${request.version} was already published.`;
    } else {
      const published = await this.deps.actions.run('publishPostmortem', { incidentId: incident.id, key: `${request.key}:publish`, actor: request.by }, { version: request.version });
      if (published.outcome === 'duplicate') return { outcome: 'duplicate', message: published.message };
      if (published.outcome !== 'applied' || !published.incident || !head) return { outcome: 'refused', message: published.message };
      latest = published.incident;
      message = published.message;
      // The summary goes out before archiving: an archived channel takes no new messages.
      try {
        await this.deps.messenger.postPostmortem(latest, head, request.tabUrl);
      } catch (error) {
        deliveryProblem = `the post-mortem is published, but posting its summary to the channel failed: ${(error as Error).message}`;
        this.deps.log.error({ incidentId: incident.id, err: (error as Error).message }, 'posting the post-mortem summary failed');
      }
    }
    // Filed before archiving: an archived channel's files are read-only for its members.
    const filed = await this.fileIfConfigured(latest, request);
    const archived = await this.archiveIfConfigured(filed.incident ?? latest, request);
    return {
      outcome: 'published',
      message: [message, filed.note, archived.note].filter(Boolean).join(' '),
      archived: archived.done,
      deliveryProblem: deliveryProblem ?? filed.problem ?? archived.problem,
    };
  }

  /**
   * The published version as a document in the channel's files, once per version: the file's name
   * is the version's, so a retry (publishing again) replaces it rather than adding a copy. A failure
   * is on the card and the timeline, and publishing again tries again.
   */
  private async fileIfConfigured(incident: Incident, request: { by: Person; key: string; tabUrl?: string }): Promise<{ incident?: Incident; note?: string; problem?: string }> {
    const version = incident.postmortem?.publishedVersion;
    const { filing } = this.deps;
    if (!filing || !incident.channel || !version || incident.postmortem?.filed?.version === version) return {};
    try {
      const document = (await this.document(incident, { tab: request.tabUrl, channel: incident.channel.webUrl }, version))!;
      const file = await this.deps.workspace.fileInChannel(incident.channel.id, { name: `${document.fileName}.${filing.extension}`, content: await filing.render(document), contentType: filing.contentType });
      const recorded = await this.deps.actions.run('recordPostmortemFiled', { incidentId: incident.id, key: `${request.key}:filed`, actor: request.by, via: 'app' }, { version, ...file });
      return { incident: recorded.incident, note: `It is in the channel’s files as ${file.name}.` };
    } catch (error) {
      const problem = `the post-mortem is published, but filing it in the channel’s files failed: ${(error as Error).message}`;
      this.deps.log.error({ incidentId: incident.id, err: (error as Error).message }, 'filing the post-mortem failed');
      await this.deps.actions.run('recordDeliveryFailure', { incidentId: incident.id, key: `${request.key}:filing-failed`, actor: SYSTEM, via: 'app' }, { what: 'Filing the post-mortem in the channel’s files', error: (error as Error).message });
      return { problem };
    }
  }

  private async archiveIfConfigured(incident: Incident, request: { by: Person; key: string }): Promise<{ done: boolean; note?: string; problem?: string }> {
    if (!this.deps.archiveOnPublish) return { done: false };
    if (incident.status !== 'closed') return { done: false, note: `The channel stays open until ${`INC-${incident.number}`} is closed; close it, then publish again to archive.` };
    try {
      if (incident.channel) await this.deps.workspace.archiveChannel(incident.channel.id);
    } catch (error) {
      this.deps.log.error({ incidentId: incident.id, err: (error as Error).message }, 'archiving the incident channel failed');
      return { done: false, problem: `the post-mortem is published, but the channel could not be archived: ${(error as Error).message}` };
    }
    const archived = await this.deps.actions.run('archive', { incidentId: incident.id, key: `${request.key}:archive`, actor: request.by, via: 'app' }, {});
    return { done: archived.outcome === 'applied' || archived.outcome === 'duplicate', note: archived.outcome === 'applied' ? 'The channel is archived.' : undefined };
  }

  /**
   * A crash between saving the text and recording it leaves the history or the incident behind
   * the head; whoever looks next completes both (each step is idempotent).
   */
  private async catchUp(incident: Incident, head: StoredPostmortem): Promise<void> {
    await this.deps.store.recordVersion(head);
    if ((incident.postmortem?.version ?? 0) < head.version) {
      await this.deps.actions.run('recordPostmortemSaved', { incidentId: incident.id, key: `postmortem-saved:${incident.id}:${head.version}`, actor: head.savedBy, via: 'app' }, { version: head.version });
    }
  }

  private toView(stored: StoredPostmortem, publishedVersion: number | undefined): PostmortemView {
    const content = withItemIds(stored.content);
    return {
      version: stored.version,
      content,
      savedAt: stored.savedAt,
      savedBy: stored.savedBy,
      publishedVersion,
      warnings: blamelessWarnings(content),
    };
  }
}
