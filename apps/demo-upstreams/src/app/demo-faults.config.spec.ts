import { ConfigError, loadConfig } from '@frontdoor/config';
import { demoFaultSchema, faultsFrom } from './demo-faults.config';

describe('demo fault configuration', () => {
  it.each([
    [{}, {}],
    [{ DEMO_HR_LATENCY_MS: '250' }, { hr: { latencyMs: 250, errorRate: 0 } }],
    [
      { DEMO_PAYROLL_ERROR_RATE: '0.25', DEMO_SALES_ERROR_RATE: '1' },
      { payroll: { latencyMs: 0, errorRate: 0.25 }, sales: { latencyMs: 0, errorRate: 1 } },
    ],
    [{ DEMO_INVENTORY_LATENCY_MS: '0', DEMO_INVENTORY_ERROR_RATE: '0' }, {}],
  ])('reads %j as %j', (env, faults) => {
    expect(faultsFrom(loadConfig(demoFaultSchema, env))).toEqual(faults);
  });

  it.each([
    ['DEMO_HR_LATENCY_MS', 'slow'],
    ['DEMO_HR_LATENCY_MS', '-5'],
    ['DEMO_HR_LATENCY_MS', '600001'],
    ['DEMO_CUSTOMERS_ERROR_RATE', '1.5'],
    ['DEMO_CUSTOMERS_ERROR_RATE', '50%'],
    ['DEMO_CUSTOMERS_ERROR_RATE', '-0.1'],
  ])('refuses %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig(demoFaultSchema, { [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig(demoFaultSchema, { [name]: value })).toThrow(name);
  });
});
