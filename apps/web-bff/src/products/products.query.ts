import { QueryInteger } from '@frontdoor/platform';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { fieldsetMessage, type Fieldset } from './sparse-fieldset';
import { WEB_PRODUCT_FIELDS, parseProductFields } from './web-product.shape';

/** `fields` must name fields of the shape only; the 400 names the allowed ones. */
function IsProductFieldset(): PropertyDecorator {
  const unknownOf = (value: unknown): readonly string[] | undefined => {
    if (typeof value !== 'string') return undefined;
    const parsed: Fieldset<string> = parseProductFields(value);
    return 'unknown' in parsed ? parsed.unknown : undefined;
  };
  return ValidateBy({
    name: 'isProductFieldset',
    validator: {
      validate: (value) => typeof value === 'string' && unknownOf(value) === undefined,
      defaultMessage: (args) => fieldsetMessage(WEB_PRODUCT_FIELDS, unknownOf(args?.value) ?? []),
    },
  });
}

/** `?fields=sku,name,price`: only these fields of each product are sent. */
export class ProductFieldsQuery {
  @IsOptional()
  @IsString()
  @MaxLength(256)
  @IsProductFieldset()
  fields?: string;
}

/** `GET /api/products`: search (`q` in name or sku, `tag`), paging (`limit` 1–100, default 20; `offset`), fields. */
export class ListProductsQuery extends ProductFieldsQuery {
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
  @Max(100)
  limit?: number;

  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}

export class ProductParams {
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'sku must be 1 to 64 of A-Z, a-z, 0-9, ., _ and -' })
  sku!: string;
}
