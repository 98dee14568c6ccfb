import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** Documentation of the v2 paging block. */
@ApiSchema({ name: 'V2Page' })
export class V2PageDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, example: 20 })
  readonly limit: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 0 })
  readonly offset: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'How many there are in all.' })
  readonly total: number;
}

/** The paging block of a v2 list answer. */
export interface V2Page {
  readonly limit: number;
  readonly offset: number;
  readonly total: number;
}
