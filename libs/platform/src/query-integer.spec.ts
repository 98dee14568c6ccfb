import { plainToInstance } from 'class-transformer';
import { IsInt, IsOptional, Min, validateSync } from 'class-validator';
import { QueryInteger } from './query-integer';

class Page {
  @IsOptional() @QueryInteger() @IsInt() @Min(0) limit?: number;
}

const read = (limit: unknown) => {
  const page = plainToInstance(Page, { limit });
  return { limit: page.limit, valid: validateSync(page).length === 0 };
};

describe('QueryInteger: decimal integers only', () => {
  it.each([
    ['16', 16],
    ['0', 0],
    ['100', 100],
    ['999999999999999', 999_999_999_999_999],
  ])('reads %j as %j', (raw, value) => {
    expect(read(raw)).toEqual({ limit: value, valid: true });
  });

  it.each(['0x10', '1e1', ' 1', '1 ', '1.0', '+1', '', '01', '١٢', 'Infinity', 'NaN', '1_000', '9999999999999999'])(
    'leaves %j as sent, refused by @IsInt',
    (raw) => {
      expect(read(raw)).toEqual({ limit: raw, valid: false });
    },
  );

  it('leaves a repeated parameter (an array) as sent, refused', () => {
    expect(read(['1', '2'])).toEqual({ limit: ['1', '2'], valid: false });
  });

  it('reads -1 as a number, for @Min to refuse with its own message', () => {
    const page = plainToInstance(Page, { limit: '-1' });
    expect(page.limit).toBe(-1);
    expect(validateSync(page).flatMap((e) => Object.keys(e.constraints ?? {}))).toEqual(['min']);
  });
});
