/**
 * Keeping local mode's data between restarts. The embedded server's own persistence writes JSON,
 * which turns every Date into a string (measured: a stored `declared` came back as text, so every
 * "declared since" query and metric would be wrong after a restart). So this keeps its own two
 * files in the data folder, in MongoDB's Extended JSON (canonical when written, so Dates and ObjectIds keep their types; numbers read back as numbers): a snapshot of every document,
 * and a journal of every write command since, appended when the write is acknowledged. At start
 * the snapshot is loaded, the journal replayed in order, and both folded into a new snapshot.
 * A process that dies loses no acknowledged write; a machine that loses power may lose the last
 * moment's (no fsync per write: this is a pilot's laptop, not production storage).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Extended JSON from the embedded server's own BSON library (documents it stores must be of its version). */
export interface ExtendedJson {
  stringify(value: unknown, options: { relaxed: boolean }): string;
  parse(text: string, options: { relaxed: boolean }): unknown;
}

/** The parts of the embedded server this needs: its command router and its storage. */
export interface RoutableServer {
  commandRouter: { route(command: ParsedCommand): Promise<unknown> };
  getStorage?: () => StorageLike;
  storage?: StorageLike;
}

export interface ParsedCommand {
  readonly commandName: string;
  readonly database: string;
  readonly command: Record<string, unknown>;
  readonly documentSequences?: Map<string, unknown[]>;
}

interface StorageLike {
  listDatabases(): Promise<string[]>;
  listCollections(db: string): Promise<string[]>;
  findAll(db: string, collection: string): Promise<Record<string, unknown>[]>;
  insertMany(db: string, collection: string, docs: Record<string, unknown>[]): Promise<unknown>;
  createCollection(db: string, collection: string): Promise<void>;
}

/** Commands that change data (index definitions are made again by the app at start). */
export const JOURNALED_COMMANDS: ReadonlySet<string> = new Set(['insert', 'update', 'delete', 'findAndModify', 'drop', 'dropDatabase']);

export class EmbeddedPersistence {
  private readonly snapshotFile: string;
  private readonly journalFile: string;

  constructor(
    private readonly dataDir: string,
    private readonly ejson: ExtendedJson,
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.snapshotFile = join(dataDir, 'snapshot.ejson.jsonl');
    this.journalFile = join(dataDir, 'journal.ejson.jsonl');
  }

  /** Loads the snapshot and replays the journal into a fresh server, then folds both into a new snapshot. */
  async restore(server: RoutableServer, route: (command: ParsedCommand) => Promise<unknown>): Promise<{ documents: number; replayed: number }> {
    const storage = storageOf(server);
    let documents = 0;
    if (existsSync(this.snapshotFile)) {
      const byCollection = new Map<string, Record<string, unknown>[]>();
      for (const line of lines(this.snapshotFile)) {
        const { db, collection, doc } = this.ejson.parse(line, { relaxed: true }) as { db: string; collection: string; doc?: Record<string, unknown> };
        const key = `${db}\u0000${collection}`;
        if (!byCollection.has(key)) byCollection.set(key, []);
        if (doc) byCollection.get(key)!.push(doc);
      }
      for (const [key, docs] of byCollection) {
        const [db, collection] = key.split('\u0000') as [string, string];
        await storage.createCollection(db, collection);
        if (docs.length > 0) await storage.insertMany(db, collection, docs);
        documents += docs.length;
      }
    }
    let replayed = 0;
    if (existsSync(this.journalFile)) {
      for (const line of lines(this.journalFile)) {
        const entry = this.ejson.parse(line, { relaxed: true }) as Omit<ParsedCommand, 'documentSequences'> & { documentSequences?: [string, unknown[]][] };
        await route({ ...entry, documentSequences: entry.documentSequences ? new Map(entry.documentSequences) : undefined });
        replayed += 1;
      }
    }
    await this.snapshot(server);
    return { documents, replayed };
  }

  /** Appends an acknowledged write command to the journal. */
  record(command: ParsedCommand): void {
    const entry = { commandName: command.commandName, database: command.database, command: command.command, ...(command.documentSequences ? { documentSequences: [...command.documentSequences] } : {}) };
    appendFileSync(this.journalFile, `${this.ejson.stringify(entry, { relaxed: false })}\n`);
  }

  /** Writes every document to a new snapshot (atomically: a crash mid-write keeps the old one) and empties the journal. */
  async snapshot(server: RoutableServer): Promise<void> {
    const storage = storageOf(server);
    const out: string[] = [];
    for (const db of await storage.listDatabases()) {
      if (db === 'admin' || db === 'local' || db === 'config') continue;
      for (const collection of await storage.listCollections(db)) {
        const docs = await storage.findAll(db, collection);
        out.push(this.ejson.stringify({ db, collection }, { relaxed: false }));
        for (const doc of docs) out.push(this.ejson.stringify({ db, collection, doc }, { relaxed: false }));
      }
    }
    const temporary = `${this.snapshotFile}.${process.pid}.tmp`;
    writeFileSync(temporary, out.length > 0 ? `${out.join('\n')}\n` : '');
    renameSync(temporary, this.snapshotFile);
    writeFileSync(this.journalFile, '');
  }
}

function storageOf(server: RoutableServer): StorageLike {
  const storage = server.getStorage?.() ?? server.storage;
  if (!storage) throw new Error('the embedded MongoDB server exposes no storage to persist');
  return storage;
}

function lines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '');
}
