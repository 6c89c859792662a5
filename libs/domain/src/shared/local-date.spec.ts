import { isLocalDate, localDateOf } from '@app/domain';

describe('Vietnam local dates', () => {
  it('dates an instant by the Hà Nội calendar: 2022-05-31T20:00Z is 1 June 2022', () => {
    expect(localDateOf('2022-05-31T20:00:00Z')).toBe('2022-06-01');
    expect(localDateOf('2022-05-31T16:59:59.999Z')).toBe('2022-05-31');
    expect(localDateOf('2022-05-31T17:00:00Z')).toBe('2022-06-01');
    expect(localDateOf('2022-06-01T01:00:00+07:00')).toBe('2022-06-01');
  });

  it('accepts only real calendar dates in YYYY-MM-DD', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2023-02-29')).toBe(false);
    expect(isLocalDate('2022-6-1')).toBe(false);
    expect(isLocalDate('01/06/2022')).toBe(false);
    expect(isLocalDate(20220601)).toBe(false);
  });
});
