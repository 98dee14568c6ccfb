import { ApiProperty } from '@nestjs/swagger';
import { ApiXmlSchema, XML_ITEM, wrappedXml } from '../../openapi/xml.docs';
import { V2MoneyDto } from '../v2-money.dto';
import { V2PageDto } from '../v2-page.dto';
import { AVAILABILITIES, LOW_STOCK_BELOW, type Availability, type V2Product } from './v2-product.shape';

/** Documentation of {@link V2Product}; `implements` keeps the two in step. */
@ApiXmlSchema({ name: 'V2Product', xml: { name: XML_ITEM } })
export class V2ProductDto implements V2Product {
  @ApiProperty({ example: 'SKU-00001' })
  readonly sku: string;

  @ApiProperty({ example: 'Desk lamp' })
  readonly name: string;

  @ApiProperty({ type: V2MoneyDto })
  readonly price: V2MoneyDto;

  @ApiProperty({
    enum: AVAILABILITIES,
    description: `out_of_stock: none left; low_stock: fewer than ${LOW_STOCK_BELOW}; in_stock: ${LOW_STOCK_BELOW} or more.`,
  })
  readonly availability: Availability;
}

@ApiXmlSchema({ name: 'V2ProductPage', xml: { name: 'products' } })
export class V2ProductPageDto {
  @ApiProperty({ type: [V2ProductDto], xml: wrappedXml('data') })
  readonly data: V2ProductDto[];

  @ApiProperty({ type: V2PageDto })
  readonly page: V2PageDto;
}
