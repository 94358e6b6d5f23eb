import { ApiProperty } from '@nestjs/swagger';

class RangeDto {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time', description: 'Exclusive' }) to: string;
}

class OpenedResolvedDto {
  @ApiProperty() opened: number;
  @ApiProperty() resolved: number;
}

class VolumesDto {
  @ApiProperty() inbound: number;
  @ApiProperty() outbound: number;
}

class QuantilesDto {
  @ApiProperty({ type: Number, nullable: true }) median: number | null;
  @ApiProperty({ type: Number, nullable: true }) p90: number | null;
}

class DurationsDto extends QuantilesDto {
  @ApiProperty({ type: QuantilesDto, description: 'Counting business hours only' }) business: QuantilesDto;
}

class DayDto {
  @ApiProperty({ example: '2026-04-28' }) day: string;
  @ApiProperty() opened: number;
  @ApiProperty() resolved: number;
  @ApiProperty() inbound: number;
  @ApiProperty() outbound: number;
}

export class OverviewReportDto {
  @ApiProperty({ type: RangeDto }) range: RangeDto;
  @ApiProperty({ type: OpenedResolvedDto }) conversations: OpenedResolvedDto;
  @ApiProperty({ type: VolumesDto }) messages: VolumesDto;
  @ApiProperty({ type: Number, nullable: true, example: 0.42 }) autoResolutionRate: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 0.18 }) handoffRate: number | null;
  @ApiProperty({ type: DurationsDto }) firstResponseSeconds: DurationsDto;
  @ApiProperty({ type: DurationsDto }) resolutionSeconds: DurationsDto;
  @ApiProperty({ type: [DayDto] }) series: DayDto[];
}

class BucketDto {
  @ApiProperty({ example: '0-1h' }) bucket: string;
  @ApiProperty() conversations: number;
}

export class FirstResponseDistributionDto {
  @ApiProperty({ type: RangeDto }) range: RangeDto;
  @ApiProperty({ type: [BucketDto] }) buckets: BucketDto[];
}

class AgentRowDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty() conversations: number;
  @ApiProperty() replies: number;
  @ApiProperty({ type: Number, nullable: true }) medianFirstResponseSeconds: number | null;
}

export class AgentsReportDto {
  @ApiProperty({ type: RangeDto }) range: RangeDto;
  @ApiProperty({ type: [AgentRowDto] }) data: AgentRowDto[];
}

class TemplateRowDto {
  @ApiProperty({ example: 'recordatorio_renta' }) templateName: string;
  @ApiProperty({ example: 'es' }) language: string;
  @ApiProperty() sends: number;
  @ApiProperty() delivered: number;
  @ApiProperty() read: number;
  @ApiProperty() failed: number;
  @ApiProperty({ type: Number, nullable: true }) deliveredRate: number | null;
  @ApiProperty({ type: Number, nullable: true }) readRate: number | null;
}

class TemplateFailureDto {
  @ApiProperty({ example: 'recordatorio_renta' }) templateName: string;
  @ApiProperty({ example: '131026' }) errorCode: string;
  @ApiProperty() count: number;
}

export class TemplatesReportDto {
  @ApiProperty({ type: RangeDto }) range: RangeDto;
  @ApiProperty({ type: [TemplateRowDto] }) data: TemplateRowDto[];
  @ApiProperty({ type: [TemplateFailureDto] }) failures: TemplateFailureDto[];
}

class CampaignVariantRowDto {
  @ApiProperty({ example: 'A', description: 'The A/B variant, else the template name, else `default`' }) variant: string;
  @ApiProperty() recipients: number;
  @ApiProperty() sent: number;
  @ApiProperty() delivered: number;
  @ApiProperty() read: number;
  @ApiProperty() replied: number;
  @ApiProperty({ type: Number, nullable: true }) deliveredRate: number | null;
  @ApiProperty({ type: Number, nullable: true }) readRate: number | null;
  @ApiProperty({ type: Number, nullable: true }) repliedRate: number | null;
}

export class CampaignReportDto {
  @ApiProperty({ format: 'uuid' }) campaignId: string;
  @ApiProperty({ type: [CampaignVariantRowDto] }) data: CampaignVariantRowDto[];
}

export class WindowReportDto {
  @ApiProperty({ type: RangeDto }) range: RangeDto;
  @ApiProperty() conversations: number;
  @ApiProperty({ description: 'Conversations whose 24-hour window expired before the business replied' }) windowExpired: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.05 }) share: number | null;
}
