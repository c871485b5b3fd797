/**
 * The Bot Framework's token issuer, locally: an OpenID metadata document and its key set (with
 * the channel endorsements botbuilder checks), served over HTTP, and a signer for the tokens
 * Teams would put in `Authorization` when it calls /api/messages.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

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
    private readonly server: Server,
    private readonly key: CryptoKey,
    readonly metadataUrl: string,
  ) {}

  static async start(kid = 'bf-local-key'): Promise<BotFrameworkIdentity> {
    const pair = await generateKeyPair('RS256');
    const jwk: JWK & { endorsements: string[] } = { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig', endorsements: ['msteams'] };
    const server = createServer((req, res) => {
      const base = `http://${req.headers.host}`;
      const body =
        req.url === '/v1/.well-known/openidconfiguration'
          ? { issuer: BOT_FRAMEWORK_ISSUER, jwks_uri: `${base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] }
          : req.url === '/v1/.well-known/keys'
            ? { keys: [jwk] }
            : undefined;
      res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body ?? { error: 'not found' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new BotFrameworkIdentity(server, pair.privateKey, `http://127.0.0.1:${port}/v1/.well-known/openidconfiguration`);
  }

  /** A token like the one Teams sends with each activity. */
  channelToken(options: ChannelTokenOptions, kid = 'bf-local-key'): Promise<string> {
    return new SignJWT({ serviceurl: options.serviceUrl })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? BOT_FRAMEWORK_ISSUER)
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
