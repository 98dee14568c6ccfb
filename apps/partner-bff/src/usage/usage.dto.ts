import { ApiProperty } from '@nestjs/swagger';
import type { PartnerUsage } from '@frontdoor/rate-limit';
import { ApiXmlSchema } from '../openapi/xml.docs';

/** Documentation of {@link PartnerUsage} (the same in every version: usage belongs to the key). */
@ApiXmlSchema({ name: 'Usage', xml: { name: 'usage' } })
export class UsageDto implements PartnerUsage {
  @ApiProperty({ example: 'acme' })
  readonly partner: string;

  @ApiProperty({ description: 'The usage plan of the key.', example: 'gold' })
  readonly plan: string;

  @ApiProperty({ description: 'The UTC day counted, YYYY-MM-DD.', example: '2026-11-23' })
  readonly day: string;

  @ApiProperty({ type: 'integer', description: 'Requests counted today, this one included.' })
  readonly used: number;

  @ApiProperty({ type: 'integer', description: 'Requests per day of the plan.' })
  readonly quota: number;

  @ApiProperty({ type: 'integer' })
  readonly remaining: number;

  @ApiProperty({ type: 'integer', description: 'Requests per second of the plan.' })
  readonly perSecond: number;

  @ApiProperty({ type: 'integer', description: 'Seconds until the quota resets (00:00 UTC).' })
  readonly resetsInS: number;
}
