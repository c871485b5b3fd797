import { once } from 'node:events';
import { readdirSync, statSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip, gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { LOCAL } from '../../local/defaults.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';

interface Answer {
  readonly status: number;
  readonly body: any;
  /** Whether the whole body had been sent when the answer came (false: answered part-way). */
  readonly sentAll: boolean;
  readonly sentBytes: number;
}

/** Requests still open, destroyed after each test so a failing one cannot hold the app's close. */
const open = new Set<ClientRequest>();

/** A chunked body: the next chunk, or undefined when it is over. */
type Chunks = () => Buffer | undefined;

/**
 * One request over node:http rather than fetch, so the test decides the framing (declared
 * Content-Length or chunked), can stop sending once answered, and the client side copies nothing
 * (the memory figure is the server's). A refused upload may see EPIPE/ECONNRESET after the answer
 * (the server closes instead of reading the rest); that is expected, not an error.
 */
function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: Buffer; chunks?: Chunks; hold?: boolean }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let sentAll = false;
    let sentBytes = 0;
    let answered = false;
    const req = request(url, { method: init.method ?? 'POST', headers: init.headers }, (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Not JSON: keep the text for the assertion message.
        }
        resolve({ status: res.statusCode ?? 0, body, sentAll, sentBytes });
        // Answered part-way: stop sending (a held-open request would keep the server's close waiting).
        if (!sentAll) req.destroy();
      });
      res.on('error', reject);
    });
    open.add(req);
    req.on('close', () => open.delete(req));
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!answered && !['EPIPE', 'ECONNRESET'].includes(error.code ?? '')) reject(error);
    });
    // A refused upload: the answer arrives while we still write; the socket then closes.
    req.on('close', () => setTimeout(() => !answered && reject(new Error('closed without an answer')), 50));
    if (init.chunks) {
      const next = init.chunks;
      const pump = () => {
        for (;;) {
          if (answered || req.destroyed) return;
          const chunk = next();
          if (!chunk) {
            sentAll = true;
            return void req.end();
          }
          sentBytes += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
      };
      pump();
    } else if (init.hold) {
      // Send this much and keep the request open, as a slow client would.
      sentBytes = init.body?.length ?? 0;
      req.write(init.body ?? Buffer.alloc(0));
    } else {
      sentBytes = init.body?.length ?? 0;
      sentAll = true;
      req.end(init.body);
    }
  });
}

/** ~100 MB of JSON-ish text gzipped to ~100 KB, compressed in 1 MB steps so the test itself never holds 100 MB. */
async function gzipBomb(decodedBytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (part: Buffer) => out.push(part));
  const ended = once(gzip, 'end');
  gzip.write('{"type":"message","id":"bomb","conversation":{"id":"19:general@thread.tacv2"},"title":"bomb","text":"');
  const block = Buffer.alloc(1024 * 1024, 'a');
  for (let written = 0; written < decodedBytes; written += block.length) if (!gzip.write(block)) await once(gzip, 'drain');
  gzip.end('"}');
  await ended;
  return Buffer.concat(out);
}

/** A multipart/form-data upload with one file part, as a browser form with <input type=file> sends it. */
function multipartUpload(fileBytes: number): { body: Buffer; type: string } {
  const boundary = '----incident-room-test-boundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nhello\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return { body: Buffer.concat([Buffer.from(head), Buffer.alloc(fileBytes, 'z'), Buffer.from(`\r\n--${boundary}--\r\n`)]), type: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Regular files in the temp directory. Directories are left out: other test runs on this machine
 * make their own mkdtemp directories there in parallel; formidable's uploads are plain files.
 */
function tempFiles(): Set<string> {
  const dir = tmpdir();
  return new Set(
    readdirSync(dir).filter((name) => {
      try {
        return statSync(join(dir, name)).isFile();
      } catch {
        return false;
      }
    }),
  );
}

const MB = 1024 * 1024;

/**
 * The body limits hold before anyone is authenticated, on every route: a gzip bomb, a multipart
 * upload and an endless chunked body are refused without the server holding them in memory or
 * writing them to disk; normal JSON still works.
 */
describe('security: request body limits (against the app in local mode)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let bomb: Buffer;
  let upload: { body: Buffer; type: string };
  const alertAuth = { Authorization: `Bearer ${LOCAL.alertSecret}` };
  // One route of each kind: the bot (unauthenticated in local mode), a monitor webhook, the tab API.
  const routes = () => [
    { name: 'bot', method: 'POST', url: `${t.app.url}/api/messages`, headers: {} },
    { name: 'alerts', method: 'POST', url: `${t.app.url}/api/alerts/generic`, headers: alertAuth },
    { name: 'tab API', method: 'POST', url: `${t.app.url}/tab/api/incidents/000000000000000000000000/notes`, headers: {} },
  ];

  before(async () => {
    // Built before anything is measured: these buffers are the test's, not the server's.
    bomb = await gzipBomb(100 * MB);
    upload = multipartUpload(5 * MB);
    t = await startTestApp({}, { timers: false });
  });
  afterEach(() => {
    for (const req of open) req.destroy();
  });
  after(() => t?.close());

  it('refuses a 100 MB gzip bomb and a 5 MB multipart upload on each route: no temp file left, memory flat', async () => {
    expect(bomb.length, 'the bomb compresses to ~100 KB').to.be.below(200 * 1024);
    // Warm up every path once (lazy initialisation is not growth), with small bodies.
    for (const route of routes()) {
      await send(route.url, { method: route.method, headers: { ...route.headers, 'Content-Type': 'application/json' }, body: Buffer.from('{}') });
      await send(route.url, { method: route.method, headers: { ...route.headers, 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body: gzipSync('{}') });
    }
    const filesBefore = tempFiles();
    const rssBefore = process.memoryUsage().rss;

    for (const route of routes()) {
      const gz = await send(route.url, { method: route.method, headers: { ...route.headers, 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body: bomb });
      expect(gz.status, `${route.name} gzip bomb: ${JSON.stringify(gz.body).slice(0, 200)}`).to.be.oneOf([413, 415]);
      expect(gz.body.error, `${route.name} gzip bomb`).to.be.a('string').and.match(/too large|Content-Encoding/i);

      const multi = await send(route.url, { method: route.method, headers: { ...route.headers, 'Content-Type': upload.type }, body: upload.body });
      expect(multi.status, `${route.name} multipart: ${JSON.stringify(multi.body).slice(0, 200)}`).to.be.oneOf([413, 415]);
      expect(multi.body.error, `${route.name} multipart`).to.be.a('string').and.match(/Content-Type|too large/i);
    }

    const rssGrowth = process.memoryUsage().rss - rssBefore;
    const newFiles = [...tempFiles()].filter((name) => !filesBefore.has(name));
    console.log(`      body limits: RSS growth ${(rssGrowth / MB).toFixed(1)} MB over 3 gzip bombs + 3 multipart uploads; new temp files: ${newFiles.length}`);
    expect(newFiles, `new files in ${tmpdir()}`).to.deep.equal([]);
    expect(rssGrowth, `RSS grew by ${(rssGrowth / MB).toFixed(1)} MB`).to.be.below(20 * MB);
  });

  it('refuses a declared Content-Length over the limit from the header, before reading any of it', async () => {
    // 100 MB declared, 1 KB sent: only an answer from the header can come back at all.
    const answer = await send(`${t.app.url}/api/messages`, { headers: { 'Content-Type': 'application/json', 'Content-Length': String(100 * MB) }, body: Buffer.alloc(1024, ' '), hold: true });
    expect(answer.status).to.equal(413);
    expect(answer.body.error).to.match(/too large/i);
  });

  it('answers an endless chunked JSON body 413 once it passes the limit, without waiting for its end', async () => {
    let sent = 0;
    // Up to 64 MB, in 64 KB chunks; a server that read to the end would see all of it first.
    const chunks: Chunks = () => (sent >= 64 * MB ? undefined : ((sent += 64 * 1024), Buffer.alloc(64 * 1024, sent === 64 * 1024 ? '[' : ' ')));
    const answer = await send(`${t.app.url}/api/alerts/generic`, { headers: { ...alertAuth, 'Content-Type': 'application/json' }, chunks });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(413);
    expect(answer.body.error).to.match(/too large/i);
    expect(answer.sentAll, `answered after ${answer.sentBytes} bytes`).to.equal(false);
    expect(answer.sentBytes).to.be.below(16 * MB);
  });

  it('refuses other media types and encodings with 415, and says what it takes', async () => {
    const url = `${t.app.url}/api/alerts/generic`;
    const cases: [Record<string, string>, RegExp][] = [
      [{ 'Content-Type': 'application/x-www-form-urlencoded' }, /Content-Type/],
      [{ 'Content-Type': 'text/plain' }, /Content-Type/],
      [{ 'Content-Type': 'text/csv' }, /Content-Type/],
      [{ 'Content-Type': 'application/json', 'Content-Encoding': 'br' }, /Content-Encoding/],
      [{}, /Content-Type/],
    ];
    for (const [headers, reason] of cases) {
      const answer = await send(url, { headers: { ...alertAuth, ...headers }, body: Buffer.from('title=x') });
      expect(answer.status, JSON.stringify(headers)).to.equal(415);
      expect(answer.body.error, JSON.stringify(headers)).to.match(reason).and.match(/application\/json|gzip/);
    }
  });

  it('still takes normal JSON, plain or gzipped, and chunked within the limit', async () => {
    const alert = (title: string) => Buffer.from(JSON.stringify({ title, severity: 'P2', fingerprint: title }));
    const plain = await send(`${t.app.url}/api/alerts/generic`, { headers: { ...alertAuth, 'Content-Type': 'application/json; charset=utf-8' }, body: alert('plain alert') });
    expect(plain.status, JSON.stringify(plain.body)).to.equal(202);
    const zipped = await send(`${t.app.url}/api/alerts/generic`, { headers: { ...alertAuth, 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body: gzipSync(alert('gzipped alert')) });
    expect(zipped.status, JSON.stringify(zipped.body)).to.equal(202);
    let done = false;
    const chunked = await send(`${t.app.url}/api/alerts/generic`, { headers: { ...alertAuth, 'Content-Type': 'application/json' }, chunks: () => (done ? undefined : ((done = true), alert('chunked alert'))) });
    expect(chunked.status, JSON.stringify(chunked.body)).to.equal(202);
    const bad = await send(`${t.app.url}/api/alerts/generic`, { headers: { ...alertAuth, 'Content-Type': 'application/json' }, body: Buffer.from('{"title": ') });
    expect(bad.status).to.equal(400);
    expect(bad.body.error).to.match(/JSON/);
    const bot = await t.message('help');
    expect(bot.status).to.equal(200);
    await t.app.alerts.drain();
    expect(await t.app.database.connection.collection('alerts').countDocuments()).to.equal(3);
  });
});
