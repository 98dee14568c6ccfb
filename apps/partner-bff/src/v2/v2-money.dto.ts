import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { V2Money } from './v2-money.shape';

@ApiSchema({ name: 'V2Money', description: 'An amount in a currency.' })
export class V2MoneyDto implements V2Money {
  @ApiProperty({ type: 'number', example: 42.5 })
  readonly amount: number;

  @ApiProperty({ description: 'ISO 4217 code.', example: 'EUR' })
  readonly currency: string;
}
