import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { V1PageDto } from '../v1-page.dto';
import type { V1Order, V1OrderLine } from './v1-order.shape';

/** Documentation of {@link V1OrderLine}. */
@ApiSchema({ name: 'V1OrderLine' })
export class V1OrderLineDto implements V1OrderLine {
  @ApiProperty({ example: 'SKU-00001' })
  readonly sku: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  readonly quantity: number;

  @ApiProperty({ type: 'number', description: 'The product price when ordered, in the order currency.' })
  readonly unitPrice: number;
}

/** Documentation of {@link V1Order}. */
@ApiSchema({ name: 'V1Order' })
export class V1OrderDto implements V1Order {
  @ApiProperty({ example: 'O-00001' })
  readonly id: string;

  @ApiProperty({ description: 'pending, paid, shipped or cancelled (more may be added).', example: 'pending' })
  readonly status: string;

  @ApiProperty({ type: [V1OrderLineDto] })
  readonly items: V1OrderLineDto[];

  @ApiProperty({ type: 'number' })
  readonly total: number;

  @ApiProperty({ description: 'ISO 4217 code.', example: 'EUR' })
  readonly currency: string;

  @ApiProperty({ format: 'date-time' })
  readonly createdAt: string;
}

@ApiSchema({ name: 'V1OrderPage' })
export class V1OrderPageDto {
  @ApiProperty({ type: [V1OrderDto] })
  readonly data: V1OrderDto[];

  @ApiProperty({ type: V1PageDto })
  readonly page: V1PageDto;
}
