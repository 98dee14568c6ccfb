import { QueryInteger } from '@frontdoor/platform';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** `GET /api/products`: search (`q`, `tag`), page size (`limit` 1–50, default 20), and the cursor of the next page. */
export class ListProductsQuery {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @IsOptional()
  @Matches(/^[a-z0-9-]{1,50}$/, { message: 'tag must be 1 to 50 of a-z, 0-9 and -' })
  tag?: string;

  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;

  /** Opaque: the `nextCursor` of the previous page of the same query. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/)
  cursor?: string;
}
