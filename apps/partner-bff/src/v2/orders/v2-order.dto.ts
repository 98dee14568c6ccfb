import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { V2MoneyDto } from '../v2-money.dto';
import { V2PageDto } from '../v2-page.dto';
import type { V2Order, V2OrderLine } from './v2-order.shape';

/** Documentation of {@link V2OrderLine}. */
@ApiSchema({ name: 'V2OrderLine' })
export class V2OrderLineDto implements V2OrderLine {
  @ApiProperty({ example: 'SKU-00001' })
  readonly sku: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  readonly quantity: number;

  @ApiProperty({ type: V2MoneyDto, description: 'The product price when ordered.' })
  readonly unitPrice: V2MoneyDto;
}

/** Documentation of {@link V2Order}. */
@ApiSchema({ name: 'V2Order' })
export class V2OrderDto implements V2Order {
  @ApiProperty({ example: 'O-00001' })
  readonly id: string;

  @ApiProperty({ description: 'pending, paid, shipped or cancelled (more may be added).', example: 'pending' })
  readonly status: string;

  @ApiProperty({ type: [V2OrderLineDto] })
  readonly items: V2OrderLineDto[];

  @ApiProperty({ type: V2MoneyDto })
  readonly total: V2MoneyDto;

  @ApiProperty({ format: 'date-time' })
  readonly createdAt: string;
}

@ApiSchema({ name: 'V2OrderPage' })
export class V2OrderPageDto {
  @ApiProperty({ type: [V2OrderDto] })
  readonly data: V2OrderDto[];

  @ApiProperty({ type: V2PageDto })
  readonly page: V2PageDto;
}
