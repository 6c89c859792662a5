/** Request bodies for the Bắc Kạn case of the article, shared by the end-to-end suites. */
export const BAC_KAN_PROGRAM = {
  id: 'bk-2022',
  name: 'Chương trình 01 triệu sáng kiến – LĐLĐ tỉnh Bắc Kạn',
  eligibility: { from: '2021-09-01', to: '2023-09-01' },
  phases: [
    { id: 'p1', name: 'Giai đoạn 1', from: '2022-01-26', to: '2022-05-31', targetPercent: 5 },
    { id: 'p2', name: 'Giai đoạn 2', from: '2022-06-01', to: '2022-12-31', targetPercent: 4 },
    { id: 'p3', name: 'Giai đoạn 3', from: '2023-01-01', to: '2023-09-01', targetPercent: 6 },
  ],
  targetPercent: 15,
  documentRef: '111/KH-LĐLĐ',
};

export const unitBody = (id: string, kind: string, parentId: string | null, memberCount: number) => ({
  id,
  name: `Công đoàn ${id}`,
  kind,
  parentId,
  memberCount,
  effectiveOn: '2022-01-01',
});

export const initiativeBody = (id: string, unitId: string, overrides: Record<string, unknown> = {}) => ({
  id,
  programId: 'bk-2022',
  unitId,
  title: `Sáng kiến ${id}: cải tiến quy trình tiếp nhận hồ sơ`,
  authors: ['Nguyễn Thị Hoa', 'Hoàng Văn Nam'],
  category: 'management',
  appliedOn: '2022-03-15',
  submittedAt: '2022-04-20T02:00:00Z',
  benefitValue: 7_000_000,
  ...overrides,
});
