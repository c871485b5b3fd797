import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { startEmbeddedMongo } from '../../models/mongo/embedded.js';

/**
 * Local mode's data folder: what the embedded server stored survives a restart with its types
 * (Dates stay Dates, ObjectIds stay ObjectIds), including after a process that died without
 * stopping (the journal), and a clean start (no folder) is empty.
 */
describe('embedded MongoDB: keeping data between restarts', function () {
  this.timeout(60_000);
  const connect = (uri: string) => mongoose.createConnection(uri).asPromise();

  it('keeps documents, their types and every acknowledged write across a clean stop and across a crash', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'embedded-')), 'data');
    const id = new mongoose.Types.ObjectId();
    const declared = new Date('2026-05-01T12:00:00.000Z');

    const first = await startEmbeddedMongo('incident-room', { dataDir });
    let c = await connect(first.uri);
    await c.collection('incidents').insertOne({ _id: id, title: 'Checkout', milestones: { declared }, version: 1 });
    await c.collection('incidents').updateOne({ _id: id }, { $inc: { version: 1 }, $set: { status: 'identified' } });
    await c.close();
    await first.stop();

    // Second run: dies without stopping (no snapshot at the end): its writes are in the journal only.
    const second = await startEmbeddedMongo('incident-room', { dataDir });
    expect(second.restored).to.deep.equal({ documents: 1, replayed: 0 });
    c = await connect(second.uri);
    await c.collection('incidents').findOneAndUpdate({ _id: id }, { $inc: { version: 1 } });
    await c.collection('timeline_events').insertOne({ _id: new mongoose.Types.ObjectId(), incidentId: id, at: declared, kind: 'declared' });
    await c.close();

    const third = await startEmbeddedMongo('incident-room', { dataDir });
    expect(third.restored!.replayed, 'the journal was replayed').to.equal(2);
    c = await connect(third.uri);
    const incident = await c.collection('incidents').findOne({ _id: id });
    expect(incident).to.include({ title: 'Checkout', status: 'identified', version: 3 });
    expect(incident!.milestones.declared).to.be.instanceOf(Date);
    expect(incident!._id).to.be.instanceOf(mongoose.Types.ObjectId);
    expect(await c.collection('incidents').countDocuments({ 'milestones.declared': { $gte: new Date('2026-05-01T00:00:00Z') } }), 'date queries work after a restart').to.equal(1);
    expect(await c.collection('timeline_events').countDocuments({ incidentId: id })).to.equal(1);
    await c.close();
    await third.stop();
    await second.stop().catch(() => undefined);
  });

  it('without a data folder keeps nothing (tests, and a fresh start)', async () => {
    const first = await startEmbeddedMongo('incident-room');
    const c = await connect(first.uri);
    await c.collection('incidents').insertOne({ _id: new mongoose.Types.ObjectId(), title: 'x' });
    await c.close();
    await first.stop();
    const second = await startEmbeddedMongo('incident-room');
    const d = await connect(second.uri);
    expect(await d.collection('incidents').countDocuments({})).to.equal(0);
    await d.close();
    await second.stop();
  });
});
