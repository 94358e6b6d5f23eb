import { ApiProperty } from '@nestjs/swagger';
import { IsDateString } from 'class-validator';

export class ChatwootBackfillDto {
  @ApiProperty({ format: 'date-time', description: 'Conversations whose latest message (or creation) is at or after this instant' })
  @IsDateString()
  since: string;
}

export class ChatwootBackfillStartedDto {
  @ApiProperty({ format: 'uuid' }) runId: string;
  @ApiProperty({ format: 'date-time' }) since: string;
  @ApiProperty({ description: 'Conversations queued for Chatwoot' }) conversations: number;
}
