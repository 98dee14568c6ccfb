import { Controller, Get, Query, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { Public } from '@frontdoor/rbac';
import { rawRequest } from '@frontdoor/testing';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { QueryValidationPipe, TypeFirstValidationPipe } from './query-validation.pipe';
import { listenApp, observedModule } from './testing/listen-app';

class PageQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
  @IsOptional() @IsString() @MaxLength(20) q?: string;
  @IsOptional() @IsIn(['asc', 'desc']) order?: string;
}

class Inner {
  @IsString() name!: string;
}

/** Not flat: a DTO holding an object is never remembered (a handler could mutate what the next request gets). */
class NestedQuery {
  @IsOptional() @ValidateNested() @Type(() => Inner) inner?: Inner;
  @IsOptional() @IsString() tag?: string;
}

const OPTIONS = { transform: true, whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: false };
const asQuery = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'query', metatype, data: undefined });

/** What the plain ValidationPipe answers: the DTO, or the 400's response body. */
async function outcomeOf(pipe: ValidationPipe, value: unknown, meta: ArgumentMetadata): Promise<unknown> {
  try {
    const dto = await pipe.transform(value, meta);
    return { dto, ctor: (dto as object).constructor };
  } catch (error) {
    return { refused: (error as { getResponse(): unknown }).getResponse() };
  }
}

describe('QueryValidationPipe', () => {
  const CASES: readonly [string, Record<string, unknown>][] = [
    ['empty', {}],
    ['converted integers', { limit: '20', offset: '40' }],
    ['a string kept as written', { q: ' café ', limit: '1' }],
    ['limit out of range', { limit: '500' }],
    ['not an integer', { limit: '2.5' }],
    ['an unknown key', { limit: '1', sort: 'name' }],
    ['a repeated key', { q: ['a', 'b'] }],
    ['not among the allowed', { order: 'sideways' }],
    ['several problems at once', { limit: '0', offset: '-1', q: 'x'.repeat(21) }],
  ];

  it.each(CASES)('%s: the same answer as ValidationPipe (type problems first), first time and from memory', async (_name, query) => {
    const plain = new TypeFirstValidationPipe(OPTIONS);
    const memo = new QueryValidationPipe(OPTIONS);
    const expected = await outcomeOf(plain, { ...query }, asQuery(PageQuery));
    expect(await outcomeOf(memo, { ...query }, asQuery(PageQuery))).toEqual(expected);
    expect(await outcomeOf(memo, { ...query }, asQuery(PageQuery))).toEqual(expected);
  });

  it.each([
    ['a value of the wrong type: its type problem only', { limit: 'abc' }, ['limit must be an integer number'], true],
    ['a nested value of the wrong type', { inner: { name: 5 } }, ['inner.name must be a string'], false],
    ['values of the right type: every problem', { limit: '0', offset: '-1' }, ['limit must not be less than 1', 'offset must not be less than 0'], false],
    ['a repeated integer key: named as repeated', { limit: ['1', '1'] }, ['limit must be given once'], false],
    ['repeated keys beside other problems', { q: ['a', 'b'], offset: '-1', sort: ['x', 'y'] }, ['offset must not be less than 0', 'property sort should not exist', 'q must be given once'], false],
  ])('%s', async (_name, query, errors, plainSaysMore) => {
    const meta = asQuery((query as { inner?: unknown }).inner === undefined ? PageQuery : NestedQuery);
    const typeFirst = (await outcomeOf(new QueryValidationPipe(OPTIONS), query, meta)) as { refused: { message: string[] } };
    expect([...typeFirst.refused.message].sort()).toEqual(errors);
    if (plainSaysMore) {
      // Nest's own pipe names every check that failed: the range checks fail on anything not a number
      const plain = (await outcomeOf(new ValidationPipe(OPTIONS), query, meta)) as { refused: { message: string[] } };
      expect(plain.refused.message.length).toBeGreaterThan(1);
    }
  });

  it('a remembered query gives a fresh instance each time: a handler mutating its DTO changes no other request', async () => {
    const pipe = new QueryValidationPipe(OPTIONS);
    const first = (await pipe.transform({ limit: '20' }, asQuery(PageQuery))) as PageQuery;
    first.limit = 99;
    const second = (await pipe.transform({ limit: '20' }, asQuery(PageQuery))) as PageQuery;
    expect(second).toBeInstanceOf(PageQuery);
    expect(second).not.toBe(first);
    expect(second).toEqual(Object.assign(new PageQuery(), { limit: 20 }));
  });

  it('distinguishes queries that differ only in a value, a key or a type', async () => {
    const pipe = new QueryValidationPipe(OPTIONS);
    await pipe.transform({ limit: '20' }, asQuery(PageQuery));
    expect(await pipe.transform({ limit: '21' }, asQuery(PageQuery))).toEqual(Object.assign(new PageQuery(), { limit: 21 }));
    expect(await pipe.transform({ offset: '20' }, asQuery(PageQuery))).toEqual(Object.assign(new PageQuery(), { offset: 20 }));
    await expect(pipe.transform({ limit: '20' }, asQuery(NestedQuery))).rejects.toMatchObject({ status: 400 });
  });

  it('validates again what it refused (failures are not remembered)', async () => {
    const pipe = new QueryValidationPipe(OPTIONS);
    const validate = jest.spyOn(ValidationPipe.prototype, 'transform');
    try {
      for (let i = 0; i < 3; i++) await expect(pipe.transform({ limit: '0' }, asQuery(PageQuery))).rejects.toMatchObject({ status: 400 });
      expect(validate).toHaveBeenCalledTimes(3);
      validate.mockClear();
      for (let i = 0; i < 3; i++) await pipe.transform({ limit: '5' }, asQuery(PageQuery));
      expect(validate).toHaveBeenCalledTimes(1);
    } finally {
      validate.mockRestore();
    }
  });

  it('remembers at most maxEntries queries per DTO, forgetting the oldest', async () => {
    const pipe = new QueryValidationPipe(OPTIONS, 3);
    const validate = jest.spyOn(ValidationPipe.prototype, 'transform');
    try {
      for (const limit of ['1', '2', '3', '4']) await pipe.transform({ limit }, asQuery(PageQuery));
      expect(validate).toHaveBeenCalledTimes(4);
      await pipe.transform({ limit: '4' }, asQuery(PageQuery)); // remembered
      await pipe.transform({ limit: '2' }, asQuery(PageQuery)); // remembered
      expect(validate).toHaveBeenCalledTimes(4);
      await pipe.transform({ limit: '1' }, asQuery(PageQuery)); // the oldest, forgotten
      expect(validate).toHaveBeenCalledTimes(5);
    } finally {
      validate.mockRestore();
    }
  });

  it('leaves alone what is not a whole query DTO of strings: params, bodies, single query values, nested DTOs', async () => {
    const pipe = new QueryValidationPipe(OPTIONS);
    const validate = jest.spyOn(ValidationPipe.prototype, 'transform');
    try {
      for (let i = 0; i < 2; i++) {
        await pipe.transform({ limit: '5' }, { type: 'body', metatype: PageQuery, data: undefined });
        await pipe.transform({ limit: '5' }, { type: 'param', metatype: PageQuery, data: undefined });
        await pipe.transform('5', { type: 'query', metatype: Number, data: 'limit' });
        await pipe.transform({ tag: 'a' }, asQuery(Object));
        await pipe.transform({ inner: { name: 'x' } }, asQuery(NestedQuery));
      }
      expect(validate).toHaveBeenCalledTimes(10);
    } finally {
      validate.mockRestore();
    }
  });
});

@Public()
@Controller('q')
class QueryController {
  @Get('page')
  page(@Query() query: PageQuery): object {
    const answer = { isDto: query instanceof PageQuery, ...query };
    query.limit = -1; // a handler scribbling on its DTO
    return answer;
  }
}

describe('query validation in a real app (on a real socket)', () => {
  let base: string;
  let close: () => Promise<void>;
  beforeAll(async () => ({ url: base, close } = await listenApp(observedModule([QueryController]), { server: { bodyLimitBytes: 2048 } })));
  afterAll(() => close());

  it('answers a repeated query the same, converted, whatever the previous handler did to its DTO', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await rawRequest(base, '/q/page?limit=20&q=tea');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ isDto: true, limit: 20, q: 'tea' });
    }
  });

  it('refuses a bad query with the same 400 problem every time', async () => {
    const bodies: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await rawRequest(base, '/q/page?limit=0&extra=1');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const { requestId: _requestId, ...problem } = JSON.parse(res.body) as Record<string, unknown>;
      bodies.push(problem);
    }
    expect(bodies[0]).toEqual(bodies[1]);
    expect(JSON.stringify(bodies[0])).toMatch(/limit must not be less than 1/);
    expect(JSON.stringify(bodies[0])).toMatch(/extra should not exist/);
  });
});
