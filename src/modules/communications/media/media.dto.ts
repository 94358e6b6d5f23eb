import { ApiProperty } from '@nestjs/swagger';
import { MediaStatus } from '../../../database/entities/enums';

/** A media file as messages carry it: `id` is what GET /api/v1/media/:id accepts. */
export class MediaViewDto {
  @ApiProperty({ format: 'uuid', description: 'Download with GET /api/v1/media/{id}' })
  id: string;

  @ApiProperty({ nullable: true, example: 'image/jpeg', type: String })
  mimeType: string | null;

  @ApiProperty({ nullable: true, example: 48213, type: Number })
  sizeBytes: number | null;

  @ApiProperty({ nullable: true, example: 'boleta.pdf', type: String })
  filename: string | null;

  @ApiProperty({ enum: MediaStatus, description: 'Received media is `pending` until downloaded from the provider' })
  status: MediaStatus;
}

export class UploadedMediaDto extends MediaViewDto {
  @ApiProperty({ format: 'uuid', description: 'The account it was uploaded for; send it from this account' })
  accountId: string;
}
