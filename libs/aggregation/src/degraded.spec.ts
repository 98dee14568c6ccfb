import { asDegraded, degradedOf, noteDegraded } from './degraded';

describe('asDegraded / degradedOf', () => {
  it('adds the body field to a plain object and marks it, without changing the input', () => {
    const input = { total: 3 };
    const marked = asDegraded(input, { reason: 'partial', missing: ['stockAlerts'] });
    expect(JSON.parse(JSON.stringify(marked))).toEqual({ total: 3, degraded: { reason: 'partial', missing: ['stockAlerts'] } });
    expect(degradedOf(marked)).toEqual({ reason: 'partial', missing: ['stockAlerts'] });
    expect(input).toEqual({ total: 3 });
    expect(degradedOf(input)).toBeUndefined();
  });

  it('marks an array without adding anything to its serialized form', () => {
    const marked = asDegraded([1, 2], { reason: 'stale', missing: [] });
    expect(JSON.stringify(marked)).toBe('[1,2]');
    expect(degradedOf(marked)).toEqual({ reason: 'stale', missing: [] });
  });

  it.each([
    ['a body that merely has a degraded field', { degraded: { reason: 'partial', missing: [] } }],
    ['null', null],
    ['a string', 'degraded'],
    ['undefined', undefined],
  ])('does not take %s for a degraded answer', (_label, value) => {
    expect(degradedOf(value)).toBeUndefined();
  });
});

describe('noteDegraded', () => {
  it('notes the mark on a holder (the reply), readable with degradedOf, and leaves a holder without it unmarked', () => {
    const reply = {};
    noteDegraded(reply, { reason: 'stale', missing: [] });
    expect(degradedOf(reply)).toEqual({ reason: 'stale', missing: [] });
    expect(JSON.stringify(reply)).toBe('{}');
    expect(degradedOf({})).toBeUndefined();
  });
});
