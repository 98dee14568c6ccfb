import { ApiPropertyOptional } from '@nestjs/swagger';
import { QueryInteger } from '@frontdoor/platform';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class V1ListProductsQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}
