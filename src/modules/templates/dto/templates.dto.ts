import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { TEMPLATE_CATEGORIES, TEMPLATE_PARAMETER_FORMATS } from '../template-definition';

/**
 * The definition fields are only checked for presence here (`@Allow`): their content is checked by
 * `validateTemplateDefinition`, which answers 400 `TEMPLATE_INVALID` listing every broken rule at
 * once, as Meta would, instead of stopping at the first type error.
 */
const COMPONENTS_EXAMPLE = [
  { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1hZ2UvanBlZw==:ARb...'] } },
  {
    type: 'BODY',
    text: 'Hola {{1}}, tu declaración de renta vence el {{2}}. ¿Agendamos una reunión?',
    example: { body_text: [['Pablo', '30 de abril']] },
  },
  { type: 'FOOTER', text: 'Contadores Asociados' },
  { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Ver documento', url: 'https://portal.example.com/docs/{{1}}', example: ['https://portal.example.com/docs/abc123'] }] },
];

export class CreateTemplateDto {
  @ApiProperty({ format: 'uuid', description: 'WhatsApp account (phone number) the template belongs to' })
  @IsUUID()
  accountId: string;

  @ApiProperty({ example: 'recordatorio_renta', description: 'lowercase letters, digits, underscores; ≤ 512' })
  @Allow()
  name: string;

  @ApiProperty({ example: 'es', description: 'Meta language code (es, es_CL, en_US)' })
  @Allow()
  language: string;

  @ApiProperty({ enum: TEMPLATE_CATEGORIES, example: 'UTILITY' })
  @Allow()
  category: string;

  @ApiPropertyOptional({ enum: TEMPLATE_PARAMETER_FORMATS, default: 'POSITIONAL', example: 'POSITIONAL' })
  @Allow()
  parameterFormat?: string;

  @ApiProperty({ type: 'array', items: { type: 'object' }, example: COMPONENTS_EXAMPLE, description: "Meta's component shape" })
  @Allow()
  components: Array<Record<string, unknown>>;
}

/** Name and language may change only while the template never reached Meta. */
export class UpdateTemplateDto {
  @ApiPropertyOptional({ example: 'recordatorio_renta_v2' }) @Allow() name?: string;
  @ApiPropertyOptional({ example: 'es_CL' }) @Allow() language?: string;
  @ApiPropertyOptional({ enum: TEMPLATE_CATEGORIES, example: 'UTILITY' }) @Allow() category?: string;
  @ApiPropertyOptional({ enum: TEMPLATE_PARAMETER_FORMATS, example: 'NAMED' }) @Allow() parameterFormat?: string;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, example: COMPONENTS_EXAMPLE }) @Allow() components?: Array<Record<string, unknown>>;
}

export class ListTemplatesQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() accountId?: string;
  @ApiPropertyOptional({ example: 'APPROVED', description: 'DRAFT, PENDING, APPROVED, REJECTED, PAUSED, DISABLED, DELETED, …' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  status?: string;
  @ApiPropertyOptional({ enum: TEMPLATE_CATEGORIES }) @IsOptional() @IsIn(TEMPLATE_CATEGORIES as string[]) category?: string;
  @ApiPropertyOptional({ example: 'es' }) @IsOptional() @IsString() @MaxLength(16) language?: string;
  @ApiPropertyOptional({ example: 'renta', description: 'Substring of the name (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  name?: string;
  @ApiPropertyOptional({ default: false, description: 'Include templates a sync found gone from the WABA' })
  @IsOptional()
  @Type(() => String)
  @IsIn(['true', 'false'])
  includeRemoved?: string;
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @ApiPropertyOptional({ description: '`nextCursor` of the previous page' }) @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}

export class HeaderMediaDto {
  @ApiPropertyOptional({ example: 'https://cdn.example.com/renta.jpg' }) @IsOptional() @IsString() link?: string;
  @ApiPropertyOptional({ example: '1234567890' }) @IsOptional() @IsString() id?: string;
  @ApiPropertyOptional({ example: 'boleta.pdf', description: 'DOCUMENT headers only' }) @IsOptional() @IsString() filename?: string;
}

export class PreviewTemplateDto {
  @ApiProperty({
    oneOf: [{ type: 'array', items: { type: 'string' } }, { type: 'object', additionalProperties: { type: 'string' } }],
    example: { '1': 'Pablo', '2': '30 de abril' },
    description: "POSITIONAL: {'1': …} or ['…'] (header variable: 'header_1'); NAMED: {nombre: …}",
  })
  @Allow()
  variables: string[] | Record<string, string>;

  @ApiPropertyOptional({ type: HeaderMediaDto, example: { link: 'https://cdn.example.com/renta.jpg' } })
  @IsOptional()
  @IsObject()
  headerMedia?: HeaderMediaDto;

  @ApiPropertyOptional({ example: { latitude: -33.45, longitude: -70.66, name: 'Tienda Centro' }, description: 'LOCATION headers' })
  @IsOptional()
  @IsObject()
  headerLocation?: { latitude: number | string; longitude: number | string; name?: string; address?: string };

  @ApiPropertyOptional({ example: { '0': 'abc123' }, description: "Keyed by button index: URL suffix, coupon code or quick-reply payload" })
  @IsOptional()
  @IsObject()
  buttonParams?: Record<string, string>;
}

export class SyncTemplatesDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() accountId: string;
}

export class InstallTemplateSetDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() accountId: string;
  @ApiProperty({ example: 'tax_accounting', description: 'tax_accounting, recruiting, insurance, retail (GET /api/v1/templates/sets)' })
  @IsString()
  @MaxLength(64)
  set: string;
  @ApiPropertyOptional({ default: false, description: 'Submit each newly created template to Meta right away' })
  @IsOptional()
  @IsBoolean()
  submit?: boolean;
}
