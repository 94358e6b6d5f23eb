import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsEmail, IsEnum, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { UserRole } from '../../../database/entities/enums';

export class LoginDto {
  @ApiProperty({ example: 'admin@conversa.local' })
  @IsEmail()
  email: string;

  @ApiProperty({ example: 'conversa-admin' })
  @IsString()
  @MinLength(1)
  password: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'ana@contadores.cl' })
  @IsEmail()
  email: string;

  @ApiProperty({ example: 'a-long-password', minLength: 8 })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  password: string;

  @ApiPropertyOptional({ example: 'Ana Pérez' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiProperty({ enum: UserRole, example: UserRole.Agent })
  @IsEnum(UserRole)
  role: UserRole;
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ enum: UserRole }) @IsOptional() @IsEnum(UserRole) role?: UserRole;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(8) @MaxLength(200) password?: string;
  @ApiPropertyOptional() @IsOptional() isActive?: boolean;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'CRM integration' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ enum: UserRole, default: UserRole.Admin })
  @IsOptional()
  @IsEnum(UserRole)
  role?: UserRole;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z' })
  @IsOptional()
  @IsDateString()
  expiresAt?: string;
}
