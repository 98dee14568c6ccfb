import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiXmlSchema, PROBLEM_XML, wrappedXml } from './xml.docs';

/** Documentation of every error answer: RFC 9457 problem details, as `application/problem+json` or `+xml`. */
@ApiXmlSchema({
  name: 'Problem',
  xml: PROBLEM_XML,
  description:
    'RFC 9457 problem details (application/problem+json, or application/problem+xml when the client asked for XML).',
})
export class ProblemDto {
  @ApiProperty({ description: 'Identifies the kind of problem; clients may switch on it.', example: 'urn:frontdoor:problem:not-found' })
  readonly type: string;

  @ApiProperty({ description: 'Short summary of the kind of problem; never changes for a type.', example: 'Not Found' })
  readonly title: string;

  @ApiProperty({ type: 'integer', description: 'The HTTP status code.', example: 404 })
  readonly status: number;

  @ApiProperty({ description: 'What went wrong with this request.', example: 'There is no order with this id.' })
  readonly detail: string;

  @ApiProperty({ description: 'The request path (without the query string).', example: '/v2/orders/O-99999' })
  readonly instance: string;

  @ApiProperty({ description: 'The X-Request-Id of the request; quote it when reporting a problem.' })
  readonly requestId: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', xml: { name: 'i' } },
    xml: wrappedXml('errors'),
    description: 'Validation failures (type validation-failed only), one message per invalid field.',
  })
  readonly errors?: string[];
}
