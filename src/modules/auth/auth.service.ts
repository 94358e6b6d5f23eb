import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { timingSafeEqual } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { randomToken, sha256Hex, verifySecret } from '../../common/crypto';
import { ApiKey } from '../../database/entities/api-key.entity';
import { UserRole } from '../../database/entities/enums';
import { User } from '../../database/entities/user.entity';
import { AuthErrors } from './auth-failures';
import type { Principal } from './principal';

interface JwtClaims {
  sub: string;
  org: string;
  role: UserRole;
  exp?: number;
}

const API_KEY_PATTERN = /^cvk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{32,})$/;

@Injectable()
export class AuthService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(ApiKey) private readonly apiKeys: Repository<ApiKey>,
  ) {}

  async login(email: string, password: string): Promise<{ accessToken: string; tokenType: 'Bearer'; expiresIn: string; user: Pick<User, 'id' | 'email' | 'role' | 'organizationId'> }> {
    const user = await this.users.findOne({
      where: { email: email.trim().toLowerCase() },
      select: { id: true, email: true, role: true, organizationId: true, passwordHash: true, isActive: true },
    });
    // Verify against a dummy hash when the user is unknown so timing does not reveal which emails exist.
    const ok = await verifySecret(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || !user.isActive) throw AuthErrors.invalidCredentials();
    await this.users.update(user.id, { lastLoginAt: new Date() });
    const claims: JwtClaims = { sub: user.id, org: user.organizationId, role: user.role };
    const accessToken = await this.jwt.signAsync(claims);
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.JWT_EXPIRES_IN, user: { id: user.id, email: user.email, role: user.role, organizationId: user.organizationId } };
  }

  async authenticateJwt(token: string): Promise<Principal> {
    let claims: JwtClaims;
    try {
      claims = await this.jwt.verifyAsync<JwtClaims>(token, { algorithms: ['HS256'] });
    } catch {
      throw AuthErrors.unauthorized('Invalid or expired token');
    }
    if (!hasWellFormedClaims(claims)) throw AuthErrors.unauthorized('Invalid or expired token');
    // Reload so deactivation and role changes take effect at once.
    const user = await this.users.findOne({ where: { id: claims.sub }, select: { id: true, organizationId: true, role: true, isActive: true } });
    if (!user || !user.isActive || user.organizationId !== claims.org) throw AuthErrors.unauthorized('Invalid or expired token');
    return { kind: 'user', id: user.id, organizationId: user.organizationId, role: user.role };
  }

  async authenticateApiKey(raw: string): Promise<Principal> {
    const match = API_KEY_PATTERN.exec(raw);
    if (!match) throw AuthErrors.unauthorized('Invalid API key');
    const key = await this.apiKeys.findOne({
      where: { prefix: match[1], revokedAt: IsNull() },
      select: { id: true, organizationId: true, role: true, keyHash: true, expiresAt: true, lastUsedAt: true },
    });
    if (!key || !sameHash(sha256Hex(match[2]), key.keyHash)) throw AuthErrors.unauthorized('Invalid API key');
    if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) throw AuthErrors.unauthorized('API key expired');
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > 60_000) {
      void this.apiKeys.update(key.id, { lastUsedAt: new Date() }).catch(() => undefined);
    }
    return { kind: 'api_key', id: key.id, organizationId: key.organizationId, role: key.role };
  }

  /** `cvk_<prefix>_<secret>`: the prefix finds the row, only the secret's SHA-256 is stored. */
  static generateApiKey(): { plaintext: string; prefix: string; keyHash: string } {
    const prefix = randomToken(12).replace(/[^A-Za-z0-9]/g, 'x').slice(0, 12);
    const secret = randomToken(32);
    return { plaintext: `cvk_${prefix}_${secret}`, prefix, keyHash: sha256Hex(secret) };
  }
}

/** A signature only proves who issued the token: a token that never expires, or whose ids are not ours, is refused. */
function hasWellFormedClaims(claims: JwtClaims): boolean {
  return typeof claims.exp === 'number' && isUUID(claims.sub) && isUUID(claims.org);
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

// scrypt hash of a random string: only used to spend the same time on unknown emails.
const DUMMY_HASH = 'scrypt$16384$8$1$c29tZS1zYWx0LXZhbHVl$3q2+7w3q2+7w3q2+7w3q2+7w3q2+7w3q2+7w3q2+7w0=';
