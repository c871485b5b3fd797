/**
 * The Bot Framework's token issuer, locally: an OpenID metadata document and its key set (with
 * the channel endorsements botbuilder checks), served over HTTP, and a signer for the tokens
 * Teams would put in `Authorization` when it calls /api/messages. Over HTTPS when given a
 * certificate, and under another issuer name when told (BOT_TOKEN_ISSUER outside the public cloud).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { StandInTls } from './http.js';

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

export interface ChannelTokenOptions {
  readonly appId: string;
  readonly serviceUrl: string;
  readonly issuer?: string;
  readonly expiresIn?: string;
  /** Sign with another key under our key id (a forgery). */
  readonly signWith?: CryptoKey;
}

export class BotFrameworkIdentity {
  private constructor(
    private readonly server: Server | HttpsServer,
    private readonly key: CryptoKey,
    readonly metadataUrl: string,
    readonly issuer: string,
  ) {}

  /**
   * `endorsements`: the channels the key signs for. Teams' alone by default; the real Bot Framework
   * keys also sign for Web Chat, Direct Line and the rest, which a test of the channel check needs.
   */
  static async start(kid = 'bf-local-key', options: { readonly tls?: StandInTls; readonly issuer?: string; readonly endorsements?: readonly string[] } = {}): Promise<BotFrameworkIdentity> {
    const issuer = options.issuer ?? BOT_FRAMEWORK_ISSUER;
    const scheme = options.tls ? 'https' : 'http';
    const pair = await generateKeyPair('RS256');
    const jwk: JWK & { endorsements: string[] } = { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig', endorsements: [...(options.endorsements ?? ['msteams'])] };
    const serve = (req: IncomingMessage, res: ServerResponse) => {
      const base = `${scheme}://${req.headers.host}`;
      const body =
        req.url === '/v1/.well-known/openidconfiguration'
          ? { issuer, jwks_uri: `${base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] }
          : req.url === '/v1/.well-known/keys'
            ? { keys: [jwk] }
            : undefined;
      res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body ?? { error: 'not found' }));
    };
    const server = options.tls ? createHttpsServer({ cert: options.tls.certificate, key: options.tls.key }, serve) : createServer(serve);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new BotFrameworkIdentity(server, pair.privateKey, `${scheme}://127.0.0.1:${port}/v1/.well-known/openidconfiguration`, issuer);
  }

  /** A token like the one Teams sends with each activity. */
  channelToken(options: ChannelTokenOptions, kid = 'bf-local-key'): Promise<string> {
    return new SignJWT({ serviceurl: options.serviceUrl })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.appId)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime(options.expiresIn ?? '1h')
      .sign(options.signWith ?? this.key);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
