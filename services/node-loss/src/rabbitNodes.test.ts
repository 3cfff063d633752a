import { parseRabbitNodes } from './rabbitNodes';

describe('parseRabbitNodes', () => {
  it('reads one host on the default port (the single-node stack)', () => {
    expect(parseRabbitNodes('127.0.0.1', 55672)).toEqual([{ host: '127.0.0.1', port: 55672 }]);
  });

  it("reads the cluster's host:port list, a missing port being the default", () => {
    expect(parseRabbitNodes('127.0.0.1:5681, 127.0.0.1:5682,mq3', 5672)).toEqual([
      { host: '127.0.0.1', port: 5681 },
      { host: '127.0.0.1', port: 5682 },
      { host: 'mq3', port: 5672 },
    ]);
    expect(parseRabbitNodes('[::1]:5681', 5672)).toEqual([{ host: '::1', port: 5681 }]);
  });

  it('refuses what is no node', () => {
    expect(() => parseRabbitNodes('', 5672)).toThrow(/no node/);
    expect(() => parseRabbitNodes('a:b:c', 5672)).toThrow(/cannot read/);
    expect(() => parseRabbitNodes('a:70000', 5672)).toThrow(/bad port/);
  });
});
