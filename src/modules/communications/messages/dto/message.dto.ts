import { MediaViewDto } from '../../media/media.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsEnum, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { MessageDirection, MessageStatus } from '../../../../database/entities/enums';
import { PageQueryDto } from '../../../../common/http/page-query.dto';

export class MessageDto {
  @ApiProperty({ format: 'uuid', example: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f' }) id: string;
  @ApiProperty({ format: 'uuid' }) conversationId: string;
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ enum: MessageDirection, example: MessageDirection.Inbound }) direction: MessageDirection;
  @ApiProperty({ example: 'text' }) type: string;
  @ApiProperty({ enum: MessageStatus, example: MessageStatus.Received }) status: MessageStatus;
  @ApiProperty({ nullable: true, example: 'Hola, necesito ayuda con mi pedido' }) text: string | null;
  @ApiProperty({ example: { body: 'Hola, necesito ayuda con mi pedido' } }) content: Record<string, unknown>;
  @ApiProperty({ example: '2026-03-01T14:05:09.123Z' }) occurredAt: string;
  @ApiProperty({ nullable: true, example: 'wamid.HBgLNTY5MTIzNDU2NzgVAgASGBQzQUI=' }) providerMessageId: string | null;
  @ApiProperty({ nullable: true }) replyToMessageId: string | null;
  @ApiProperty({ nullable: true }) templateName: string | null;
  @ApiProperty({ nullable: true }) errorCode: string | null;
  @ApiProperty({ nullable: true }) errorTitle: string | null;
  @ApiProperty({ nullable: true }) sentAt: string | null;
  @ApiProperty({ nullable: true }) deliveredAt: string | null;
  @ApiProperty({ nullable: true }) readAt: string | null;
  @ApiProperty({ nullable: true }) failedAt: string | null;
  @ApiProperty({ example: false }) isAi: boolean;
  @ApiProperty({ nullable: true, example: null }) agentName: string | null;
  @ApiProperty({ nullable: true, example: 'reply' }) kind: string | null;
  @ApiProperty({ type: MediaViewDto, nullable: true, description: 'Image, video, audio, document or sticker: the file (download with GET /api/v1/media/{media.id})' })
  media: MediaViewDto | null;
}

export class MessagePageDto {
  @ApiProperty({ type: [MessageDto] }) data: MessageDto[];
  @ApiProperty({ nullable: true, example: 'eyJrIjoi…' }) nextCursor: string | null;
}

export class SearchMessagesQueryDto extends PageQueryDto {
  @ApiProperty({ description: 'Web-search syntax: words, "quoted phrases", -excluded, or', example: 'reembolso "pedido 4821"' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q: string;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() accountId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() contactId?: string;
  @ApiPropertyOptional({ enum: MessageDirection, example: MessageDirection.Inbound }) @IsOptional() @IsEnum(MessageDirection) direction?: MessageDirection;
  @ApiPropertyOptional({ description: 'occurred at or after', example: '2026-01-01T00:00:00Z' }) @IsOptional() @IsDateString() from?: string;
  @ApiPropertyOptional({ description: 'occurred before', example: '2026-02-01T00:00:00Z' }) @IsOptional() @IsDateString() to?: string;
}

export class MessageSearchHitDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) conversationId: string;
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ enum: MessageDirection, example: MessageDirection.Inbound }) direction: MessageDirection;
  @ApiProperty({ example: 'text' }) type: string;
  @ApiProperty({ example: '2026-03-01T14:05:09.123Z' }) occurredAt: string;
  @ApiProperty({ nullable: true, example: 'Quiero un reembolso del pedido 4821' }) text: string | null;
  @ApiProperty({ description: 'Matched fragment, terms wrapped in <mark>…</mark> (the rest is HTML-escaped)', example: 'Quiero un <mark>reembolso</mark> del <mark>pedido</mark> <mark>4821</mark>' })
  snippet: string;
  @ApiProperty({ description: 'ts_rank relevance (higher first)', example: 0.42 }) rank: number;
}

export class MessageSearchPageDto {
  @ApiProperty({ type: [MessageSearchHitDto] }) data: MessageSearchHitDto[];
  @ApiProperty({ nullable: true, example: 'eyJrIjoi…' }) nextCursor: string | null;
}
