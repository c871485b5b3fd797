/**
 * The embedded database in a process of its own, as MongoDB always is in production: a bench
 * that measures how long the app's event loop keeps a click waiting starts it, so the figure is
 * the app's, not the app's plus the database's. Prints its URI as one JSON line; stops when its
 * parent closes stdin or ends it.
 */
import { startEmbeddedMongo } from '../models/mongo/embedded.js';

const embedded = await startEmbeddedMongo();
process.stdout.write(`${JSON.stringify({ uri: embedded.uri })}\n`);
const stop = () => void embedded.stop().finally(() => process.exit(0));
process.stdin.on('end', stop).resume();
process.on('SIGTERM', stop);
