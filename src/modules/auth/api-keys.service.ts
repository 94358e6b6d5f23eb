import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { NotFoundError } from '../../common/errors/domain-error';
import { ApiKey } from '../../database/entities/api-key.entity';
import { UserRole } from '../../database/entities/enums';
import { AuthErrors } from './auth-failures';
import { AuthService } from './auth.service';
import type { CreateApiKeyDto } from './dto/auth.dto';
import { type Principal, ROLE_RANK } from './principal';
import { AuthErrorCode } from './auth.errors';

@Injectable()
export class ApiKeysService {
  constructor(@InjectRepository(ApiKey) private readonly apiKeys: Repository<ApiKey>) {}

  list(organizationId: string): Promise<ApiKey[]> {
    return this.apiKeys.find({ where: { organizationId }, order: { createdAt: 'DESC' } });
  }

  /** The plaintext key is returned once, here, and never stored. */
  async create(actor: Principal, input: CreateApiKeyDto): Promise<{ apiKey: ApiKey; key: string }> {
    const role = input.role ?? UserRole.Admin;
    if (ROLE_RANK[role] > ROLE_RANK[actor.role]) throw AuthErrors.forbidden(`A ${actor.role} cannot create ${role} keys`);
    const generated = AuthService.generateApiKey();
    const saved = await this.apiKeys.save(
      this.apiKeys.create({
        organizationId: actor.organizationId,
        name: input.name,
        role,
        prefix: generated.prefix,
        keyHash: generated.keyHash,
        createdByUserId: actor.kind === 'user' ? actor.id : null,
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      }),
    );
    const apiKey = await this.apiKeys.findOneByOrFail({ id: saved.id });
    return { apiKey, key: generated.plaintext };
  }

  async revoke(organizationId: string, id: string): Promise<void> {
    const result = await this.apiKeys.update({ id, organizationId, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!result.affected) throw new NotFoundError(AuthErrorCode.ApiKeyNotFound, 'api key');
  }
}
