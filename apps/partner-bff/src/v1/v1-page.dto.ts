import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** Documentation of the v1 paging block (frozen with v1). */
@ApiSchema({ name: 'V1Page' })
export class V1PageDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, example: 20 })
  readonly limit: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 0 })
  readonly offset: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'How many there are in all.' })
  readonly total: number;
}
