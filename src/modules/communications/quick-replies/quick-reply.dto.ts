import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

const SHORTCUT = /^[\p{L}\p{N}_-]+$/u;

export class CreateQuickReplyDto {
  @ApiProperty({ description: 'Typed after `/` in the composer; letters, digits, `_` and `-`, unique per organisation ignoring case', example: 'horario' })
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  @Matches(SHORTCUT, { message: 'shortcut may contain only letters, digits, _ and -' })
  shortcut: string;

  @ApiProperty({ example: 'Atendemos de lunes a viernes, de 9:00 a 18:00.' })
  @IsString()
  @MinLength(1)
  @MaxLength(4096)
  body: string;
}

export class UpdateQuickReplyDto {
  @ApiPropertyOptional({ example: 'horario' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  @Matches(SHORTCUT, { message: 'shortcut may contain only letters, digits, _ and -' })
  shortcut?: string;

  @ApiPropertyOptional({ example: 'Atendemos de lunes a viernes, de 9:00 a 19:00.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(4096)
  body?: string;
}

export class ListQuickRepliesQueryDto {
  @ApiPropertyOptional({ description: 'Shortcuts starting with this text, or bodies containing it (case-insensitive)', example: 'hor' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class QuickReplyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'horario' }) shortcut: string;
  @ApiProperty({ example: 'Atendemos de lunes a viernes, de 9:00 a 18:00.' }) body: string;
  @ApiProperty({ example: '2026-03-01T14:05:09.123Z' }) createdAt: string;
  @ApiProperty({ example: '2026-03-01T14:05:09.123Z' }) updatedAt: string;
}

export class QuickReplyListDto {
  @ApiProperty({ type: [QuickReplyDto], description: `Sorted by shortcut; at most ${500}` }) data: QuickReplyDto[];
}
