import { ApiProperty } from '@nestjs/swagger';
import { ApiXmlSchema, XML_ITEM, wrappedXml } from '../../openapi/xml.docs';
import { V1PageDto } from '../v1-page.dto';
import type { V1Product } from './v1-product.shape';

/** Documentation of {@link V1Product}; `implements` keeps the two in step. */
@ApiXmlSchema({ name: 'V1Product', xml: { name: XML_ITEM } })
export class V1ProductDto implements V1Product {
  @ApiProperty({ example: 'SKU-00001' })
  readonly sku: string;

  @ApiProperty({ example: 'Desk lamp' })
  readonly name: string;

  @ApiProperty({ type: 'number', example: 42.5 })
  readonly price: number;

  @ApiProperty({ description: 'ISO 4217 code.', example: 'EUR' })
  readonly currency: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Units in stock.' })
  readonly stock: number;
}

@ApiXmlSchema({ name: 'V1ProductPage', xml: { name: 'products' } })
export class V1ProductPageDto {
  @ApiProperty({ type: [V1ProductDto], xml: wrappedXml('data') })
  readonly data: V1ProductDto[];

  @ApiProperty({ type: V1PageDto })
  readonly page: V1PageDto;
}
