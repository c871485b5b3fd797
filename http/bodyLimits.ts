/**
 * Every request body, read and parsed before any route (and so before any authentication) within
 * hard limits. It replaces restify's bodyParser, which let two things past its maxBodySize:
 * multipart/form-data (handed to formidable, which writes uploads to the temp directory and
 * never deletes them) and gzip (it counted compressed bytes, so 97 KB became 100 MB of JSON).
 *
 * Every route here takes JSON and nothing else (Teams' activities, the monitors' and PagerDuty's
 * webhooks, the tab and sandbox pages' fetches), so a body is one of: application/json (or
 * application/*+json), uncompressed or gzip, at most the limit once decompressed. Anything else is
 * refused from its headers (415, or 413 for a declared length over the limit) without reading it;
 * a chunked body is counted as it streams and refused (413) as soon as it passes the limit, so
 * nothing beyond the limit is ever held in memory and nothing at all is written to disk. That
 * also rules out the bodies an HTML form on another site can send (form-urlencoded, multipart,
 * text/plain).
 *
 * The parsed body is `req.body`; the decoded text is `req.rawBody` (what the webhooks' HMAC
 * signatures are computed over), as restify's parser left them.
 */
import { createGunzip, type Gunzip } from 'node:zlib';
import type { Next, Request, RequestHandler, Response } from 'restify';

/** The most any request body may be, decompressed. Generous for an activity, an alert group or a post-mortem. */
export const MAX_BODY_BYTES = 512 * 1024;

/** application/json and the structured-syntax +json types (application/problem+json etc.); parameters such as charset are ignored. */
const JSON_MEDIA_TYPE = /^application\/(?:[a-z0-9.!#$&^_-]+\+)?json$/;

/** Header values echoed in an error, made harmless: printable ASCII, short. */
const shown = (value: string) => JSON.stringify(value.replace(/[^\x20-\x7e]/g, '?').slice(0, 80));

type Encoding = 'identity' | 'gzip';

function encodingOf(header: string | undefined): Encoding | undefined {
  const value = (header ?? '').trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  return undefined;
}

/** A refusal decided from the headers alone, or undefined when the body may be read. */
function refusalFromHeaders(req: Request, limit: number): { status: number; error: string; acceptEncoding?: boolean } | undefined {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!JSON_MEDIA_TYPE.test(type)) {
    return { status: 415, error: `Unsupported Content-Type ${type ? shown(type) : '(none)'}: every endpoint here takes JSON only; send the body as application/json.` };
  }
  if (!encodingOf(req.headers['content-encoding'])) {
    return { status: 415, error: `Unsupported Content-Encoding ${shown(req.headers['content-encoding'] ?? '')}: send the body uncompressed or as gzip.`, acceptEncoding: true };
  }
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return { status: 413, error: tooLarge(limit) };
  return undefined;
}

const tooLarge = (limit: number) => `The request body is too large: it exceeds ${limit} bytes (${Math.round(limit / 1024)} KB, counted after decompression). Nothing was done.`;

/** Whether the request carries a body at all (a declared length above zero, or chunked). */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/**
 * The body reader, mounted with `server.use` where restify's bodyParser was. GET and HEAD are
 * not read (as before): their bodies, if any, are discarded by Node, never buffered.
 */
export function jsonBodies(limit: number = MAX_BODY_BYTES): RequestHandler {
  return (req: Request, res: Response, next: Next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || !hasBody(req)) return next();
    const early = refusalFromHeaders(req, limit);
    if (early) {
      if (early.acceptEncoding) res.setHeader('Accept-Encoding', 'gzip, identity');
      return refuse(req, res, next, early.status, early.error);
    }
    readBody(req, res, next, limit, encodingOf(req.headers['content-encoding'])!);
  };
}

/**
 * Answers without reading (the rest of) the body. Unless the request was read to its end, the
 * connection is closed after the answer: reading on would only drain an upload we refused, and
 * leaving it half-read would leave the connection unusable.
 */
function refuse(req: Request, res: Response, next: Next, status: number, error: string): void {
  if (!req.complete) {
    req.pause();
    res.setHeader('Connection', 'close');
  }
  res.setHeader('Cache-Control', 'no-store');
  res.send(status, { error });
  next(false);
}

/** Streams the body in, counting raw and (for gzip) decompressed bytes; stops at the first byte over the limit. */
function readBody(req: Request, res: Response, next: Next, limit: number, encoding: Encoding): void {
  const chunks: Buffer[] = [];
  let raw = 0;
  let decoded = 0;
  let settled = false;
  const gunzip: Gunzip | undefined = encoding === 'gzip' ? createGunzip() : undefined;

  const stop = () => {
    settled = true;
    req.off('data', onRaw);
    gunzip?.destroy();
    chunks.length = 0;
  };
  const fail = (status: number, error: string) => {
    if (settled) return;
    stop();
    refuse(req, res, next, status, error);
  };
  const take = (chunk: Buffer) => {
    if (settled) return;
    decoded += chunk.length;
    if (decoded > limit) return fail(413, tooLarge(limit));
    chunks.push(chunk);
  };
  function onRaw(chunk: Buffer) {
    raw += chunk.length;
    if (raw > limit) return fail(413, tooLarge(limit));
    if (gunzip) gunzip.write(chunk);
    else take(chunk);
  }
  const finish = () => {
    if (settled) return;
    const text = Buffer.concat(chunks).toString('utf8');
    stop();
    parseInto(req, res, next, text);
  };

  req.on('data', onRaw);
  if (gunzip) {
    gunzip.on('data', take);
    gunzip.once('end', finish);
    gunzip.once('error', () => fail(400, 'The body is not valid gzip (Content-Encoding: gzip). Nothing was done.'));
    req.once('end', () => {
      if (!settled) gunzip.end();
    });
  } else {
    req.once('end', finish);
  }
  // The client went away mid-body: nobody to answer; end the chain so nothing waits on it.
  const gone = () => {
    if (settled) return;
    stop();
    next(false);
  };
  req.once('error', gone);
  res.once('close', gone);
}

function parseInto(req: Request, res: Response, next: Next, text: string): void {
  (req as Request & { rawBody?: string }).rawBody = text;
  if (text === '') {
    req.body = undefined;
    return next();
  }
  try {
    req.body = JSON.parse(text) as unknown;
  } catch (error) {
    return refuse(req, res, next, 400, `The body is not valid JSON (${(error as Error).message.slice(0, 200)}). Nothing was done.`);
  }
  next();
}
