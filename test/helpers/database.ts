import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { startEmbeddedMongo } from '../../models/mongo/embedded.js';

/**
 * A fresh, empty database for one test: a database of its own on the real MongoDB named by
 * MONGODB_URI when set (so every store test also runs against the real thing), else a new
 * embedded CongoDB server.
 */
export interface TestDatabase {
  readonly uri: string;
  readonly real: boolean;
  drop(): Promise<void>;
}

export async function testDatabase(): Promise<TestDatabase> {
  const realUri = process.env.MONGODB_URI;
  if (realUri) {
    const url = new URL(realUri);
    url.pathname = `/incident-room-test-${randomUUID().slice(0, 8)}`;
    const uri = url.toString();
    return {
      uri,
      real: true,
      async drop() {
        const connection = await mongoose.createConnection(uri).asPromise();
        await connection.dropDatabase();
        await connection.close();
      },
    };
  }
  const embedded = await startEmbeddedMongo();
  return { uri: embedded.uri, real: false, drop: () => embedded.stop() };
}
