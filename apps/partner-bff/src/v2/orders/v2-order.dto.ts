import { ApiProperty } from '@nestjs/swagger';
import { ApiXmlSchema, XML_ITEM, wrappedXml, xmlListEntry } from '../../openapi/xml.docs';
import { V2MoneyDto } from '../v2-money.dto';
import { V2PageDto } from '../v2-page.dto';
import type { V2Order, V2OrderLine } from './v2-order.shape';

/** Documentation of {@link V2OrderLine}. */
@ApiXmlSchema({ name: 'V2OrderLine', xml: { name: XML_ITEM } })
export class V2OrderLineDto implements V2OrderLine {
  @ApiProperty({ example: 'SKU-00001' })
  readonly sku: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  readonly quantity: number;

  @ApiProperty({ type: V2MoneyDto, description: 'The product price when ordered.' })
  readonly unitPrice: V2MoneyDto;
}

/** Documentation of {@link V2Order}. */
@ApiXmlSchema({ name: 'V2Order', xml: { name: 'order' } })
export class V2OrderDto implements V2Order {
  @ApiProperty({ example: 'O-00001' })
  readonly id: string;

  @ApiProperty({ description: 'pending, paid, shipped or cancelled (more may be added).', example: 'pending' })
  readonly status: string;

  @ApiProperty({ type: [V2OrderLineDto], xml: wrappedXml('items') })
  readonly items: V2OrderLineDto[];

  @ApiProperty({ type: V2MoneyDto })
  readonly total: V2MoneyDto;

  @ApiProperty({ format: 'date-time' })
  readonly createdAt: string;
}

@ApiXmlSchema({ name: 'V2OrderPage', xml: { name: 'orders' } })
export class V2OrderPageDto {
  // an order is `<order>` as an answer of its own, `<item>` in a page
  @ApiProperty({ type: 'array', items: xmlListEntry(V2OrderDto), xml: wrappedXml('data') })
  readonly data: V2OrderDto[];

  @ApiProperty({ type: V2PageDto })
  readonly page: V2PageDto;
}
