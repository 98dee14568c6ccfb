import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsObject, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { ApiXmlSchema, XML_ITEM, wrappedXml } from '../../openapi/xml.docs';
import { MAX_ORDER_LINES } from '../../orders/order-limits';

/** One line of a new v2 order. Unknown fields are refused (400), at every level. */
@ApiXmlSchema({ name: 'V2NewOrderLine', xml: { name: XML_ITEM } })
export class V2NewOrderLineDto {
  @ApiProperty({ pattern: '^[A-Za-z0-9._-]{1,64}$', example: 'SKU-00001' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/)
  readonly sku: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10_000, example: 2 })
  @IsInt()
  @Min(1)
  @Max(10_000)
  readonly quantity: number;
}

/** `POST /v2/orders`. The order is placed for the partner of the API key; there is no partner field. */
@ApiXmlSchema({ name: 'V2NewOrder', xml: { name: 'order' } })
export class V2CreateOrderDto {
  @ApiProperty({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$', example: 'C0001' })
  @IsString()
  @Length(1, 64)
  @Matches(/^[A-Za-z0-9._-]+$/)
  readonly customerId: string;

  @ApiProperty({
    type: [V2NewOrderLineDto],
    minItems: 1,
    maxItems: MAX_ORDER_LINES,
    xml: wrappedXml('items'),
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ORDER_LINES)
  @IsObject({ each: true }) // ValidateNested alone lets nested arrays through
  @ValidateNested({ each: true })
  @Type(() => V2NewOrderLineDto)
  readonly items: V2NewOrderLineDto[];
}
