/**
 * Local Teams kept between restarts, beside the embedded database's data (the pilot's week):
 * channels with their tabs, meetings, meeting chats, every post and card, and activity-feed
 * notifications, as one JSON file written whenever something changed (atomically: a crash
 * mid-write keeps the previous file) and when local mode stops.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeActivity, FakeChannel, FakeChat, FakeMeeting, FakeNotification, TeamsWorld } from './teamsWorld.js';

interface WorldFile {
  readonly channels: FakeChannel[];
  readonly meetings: FakeMeeting[];
  readonly chats: (Omit<FakeChat, 'installedApps'> & { installedApps: string[] })[];
  readonly activities: FakeActivity[];
  readonly notifications: FakeNotification[];
}

/** Changes whenever anything kept here changes (the sandbox's fingerprint, plus what it does not show). */
function changeKey(world: TeamsWorld): string {
  let chatTabs = 0;
  for (const chat of world.chats.values()) chatTabs += chat.tabs.length + chat.installedApps.size;
  const archived = [...world.channels.values()].filter((c) => c.archived).length;
  return `${world.fingerprint()}.${world.notifications.length}.${world.chats.size}.${chatTabs}.${archived}`;
}

export class WorldFileStore {
  private readonly file: string;
  private saved = '';

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.file = join(dataDir, 'local-teams.json');
  }

  /** Puts back what the last run left; returns whether there was anything. */
  restore(world: TeamsWorld): boolean {
    if (!existsSync(this.file)) return false;
    const data = JSON.parse(readFileSync(this.file, 'utf8')) as WorldFile;
    for (const channel of data.channels) world.channels.set(channel.id, channel);
    for (const meeting of data.meetings) world.meetings.set(meeting.id, meeting);
    for (const chat of data.chats) world.chats.set(chat.id, { ...chat, installedApps: new Set(chat.installedApps) });
    world.activities.push(...data.activities);
    world.notifications.push(...data.notifications);
    this.saved = changeKey(world);
    return true;
  }

  /** Writes the world if it changed since the last write. */
  save(world: TeamsWorld): void {
    const fingerprint = changeKey(world);
    if (fingerprint === this.saved) return;
    const data: WorldFile = {
      channels: [...world.channels.values()],
      meetings: [...world.meetings.values()],
      chats: [...world.chats.values()].map((chat) => ({ ...chat, installedApps: [...chat.installedApps] })),
      activities: world.activities,
      notifications: world.notifications,
    };
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(data));
    renameSync(temporary, this.file);
    this.saved = fingerprint;
  }
}
