/** The dashboard's formatting (a browser module, loaded here as the page loads it: untyped JavaScript). */
const format = require('../../public/assets/format.js') as {
  count(n: number): string;
  money(digits: string): string;
  signedMoney(text: string): string;
  moneyInWords(digits: string): string;
  percent(p: number | null): string;
  attainment(counted: number, quota: number): number | null;
  date(localDate: string | null): string;
  dateTime(instant: string): string;
  duration(seconds: number): string;
  sumMoney(values: string[]): string;
};

describe('the dashboard formats figures the Vietnamese way', () => {
  it('money exactly, from digit strings beyond what a float holds', () => {
    expect(format.money('10003500000')).toBe('10.003.500.000 đ');
    expect(format.money('0')).toBe('0 đ');
    expect(format.money('9007199254740993123')).toBe('9.007.199.254.740.993.123 đ');
    expect(format.sumMoney(['9007199254740993', '1'])).toBe('9007199254740994');
    expect(format.signedMoney('+6500000')).toBe('+6.500.000 đ');
    expect(format.signedMoney('-6500000')).toBe('−6.500.000 đ');
  });

  it('large sums in words as reports round them: down, saying "trên" when something was cut', () => {
    expect(format.moneyInWords('10003500000')).toBe('trên 10 tỷ đồng');
    expect(format.moneyInWords('10000000000')).toBe('10 tỷ đồng');
    expect(format.moneyInWords('2599999999')).toBe('trên 2,5 tỷ đồng');
    expect(format.moneyInWords('7000000')).toBe('7 triệu đồng');
    expect(format.moneyInWords('950000')).toBe('950.000 đồng');
  });

  it('counts, percentages and attainment', () => {
    expect(format.count(1539)).toBe('1.539');
    expect(format.percent(256.5)).toBe('256,5 %');
    expect(format.percent(100)).toBe('100 %');
    expect(format.percent(null)).toBe('—');
    expect(format.attainment(1539, 600)).toBe(256.5);
    expect(format.attainment(2, 3)).toBe(66.7);
    expect(format.attainment(5, 0)).toBeNull();
  });

  it('dates dd/mm/yyyy, instants in Hà Nội time', () => {
    expect(format.date('2022-05-31')).toBe('31/05/2022');
    expect(format.date(null)).toBe('—');
    expect(format.dateTime('2022-05-31T20:00:00Z')).toBe('01/06/2022 03:00');
    expect(format.duration(65)).toBe('1 phút 5 giây');
    expect(format.duration(4.4)).toBe('4 giây');
  });
});
