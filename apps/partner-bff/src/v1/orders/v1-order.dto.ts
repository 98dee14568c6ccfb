import { ApiProperty } from '@nestjs/swagger';
import { ApiXmlSchema, XML_ITEM, wrappedXml, xmlListEntry } from '../../openapi/xml.docs';
import { V1PageDto } from '../v1-page.dto';
import type { V1Order, V1OrderLine } from './v1-order.shape';

/** Documentation of {@link V1OrderLine}. */
@ApiXmlSchema({ name: 'V1OrderLine', xml: { name: XML_ITEM } })
export class V1OrderLineDto implements V1OrderLine {
  @ApiProperty({ example: 'SKU-00001' })
  readonly sku: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  readonly quantity: number;

  @ApiProperty({ type: 'number', description: 'The product price when ordered, in the order currency.' })
  readonly unitPrice: number;
}

/** Documentation of {@link V1Order}. */
@ApiXmlSchema({ name: 'V1Order', xml: { name: 'order' } })
export class V1OrderDto implements V1Order {
  @ApiProperty({ example: 'O-00001' })
  readonly id: string;

  @ApiProperty({ description: 'pending, paid, shipped or cancelled (more may be added).', example: 'pending' })
  readonly status: string;

  @ApiProperty({ type: [V1OrderLineDto], xml: wrappedXml('items') })
  readonly items: V1OrderLineDto[];

  @ApiProperty({ type: 'number' })
  readonly total: number;

  @ApiProperty({ description: 'ISO 4217 code.', example: 'EUR' })
  readonly currency: string;

  @ApiProperty({ format: 'date-time' })
  readonly createdAt: string;
}

@ApiXmlSchema({ name: 'V1OrderPage', xml: { name: 'orders' } })
export class V1OrderPageDto {
  // an order is `<order>` as an answer of its own, `<item>` in a page
  @ApiProperty({ type: 'array', items: xmlListEntry(V1OrderDto), xml: wrappedXml('data') })
  readonly data: V1OrderDto[];

  @ApiProperty({ type: V1PageDto })
  readonly page: V1PageDto;
}
