import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../pagination';

/** Query strings carry booleans as text; anything but true/false stays invalid for @IsBoolean. */
export const QueryBoolean = () => Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));

export class PageQueryDto {
  @ApiPropertyOptional({ example: DEFAULT_PAGE_LIMIT, minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque `nextCursor` from the previous page', example: 'eyJrIjoiMjAyNi0wMS0wMSAxMjowMDowMCswMCIsImlkIjoi…' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}
