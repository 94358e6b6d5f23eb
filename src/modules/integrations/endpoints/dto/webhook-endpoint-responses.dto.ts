import { ApiProperty } from '@nestjs/swagger';

export class WebhookEndpointDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://hooks.example.com/conversa' }) url: string;
  @ApiProperty({ type: [String], example: ['message.received', 'message.status'] }) events: string[];
  @ApiProperty({ type: String, nullable: true, example: 'CRM sync' }) description: string | null;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'Attempts per second at most, per worker process (null: the server default)' }) maxPerSecond: number | null;
  @ApiProperty({ description: "Events of one conversation are delivered in order (the next waits for the previous to be delivered or die)" }) ordered: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was disabled (e.g. failing for too long)' }) disabledReason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) failingSince: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Until then the previous secret signs too' }) secretRotatedOverlapUntil: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class WebhookEndpointWithSecretDto extends WebhookEndpointDto {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Shown this once' }) secret: string;
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) endpointId: string;
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ example: 'message.received' }) eventType: string;
  @ApiProperty({ example: 'delivered' }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: Number, nullable: true, example: 200 }) responseCode: number | null;
  @ApiProperty({ type: Number, nullable: true }) latencyMs: number | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextAttemptAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class TestDeliveryDto {
  @ApiProperty({ format: 'uuid' }) deliveryId: string;
  @ApiProperty({ format: 'uuid' }) eventId: string;
}

export class ReplayResultDto {
  @ApiProperty({ description: 'Deliveries queued', example: 42 }) deliveries: number;
}
