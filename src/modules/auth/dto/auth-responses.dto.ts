import { ApiProperty } from '@nestjs/swagger';
import { UserRole } from '../../../database/entities/enums';

export class LoginUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: UserRole }) role: UserRole;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
}

export class TokenDto {
  @ApiProperty({ description: 'Send as `Authorization: Bearer <accessToken>`' }) accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: string;
  @ApiProperty({ example: '12h' }) expiresIn: string;
  @ApiProperty({ type: LoginUserDto }) user: LoginUserDto;
}


export class UserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty({ example: 'ana@contadores.cl' }) email: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ enum: UserRole }) role: UserRole;
  @ApiProperty() isActive: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastLoginAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty({ example: 'CRM integration' }) name: string;
  @ApiProperty({ description: 'The first characters of the key, to recognise it', example: 'cvk_3f0c' }) prefix: string;
  @ApiProperty({ enum: UserRole }) role: UserRole;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) createdByUserId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastUsedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) expiresAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) revokedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The key itself: shown only in this response; send it as `X-API-Key`' }) key: string;
}

export class SessionOpenedDto {
  @ApiProperty({ type: LoginUserDto }) user: LoginUserDto;
}

export class MeDto {
  @ApiProperty({ enum: ['user', 'api_key'] }) kind: string;
  @ApiProperty({ format: 'uuid', description: 'The user or API key id' }) id: string;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty({ enum: UserRole }) role: UserRole;
  @ApiProperty({ nullable: true, type: String, description: 'null for an API key' }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
}

export class StreamTicketDto {
  @ApiProperty({ description: 'Pass as `?ticket=` to GET /api/v1/events; single use' }) ticket: string;
  @ApiProperty({ example: 30 }) expiresInSeconds: number;
}
