import { ProgrammeLog } from '../../libs/read-models/test/programme-log';

/**
 * Bắc Kạn's tree as the dashboard tests show it: the province, four sectors and eight districts of
 * 1,000 members each (so the province's default phase-1 quota is 5 % of 12,000 = 600), Chợ Đồn's
 * members split with three grassroots unions.
 */
export const BAC_KAN_UNITS: { id: string; name: string; kind: 'province' | 'sector' | 'district' | 'grassroots'; parentId: string | null; memberCount: number; initiatives: number }[] = [
  { id: 'bac-kan', name: 'LĐLĐ tỉnh Bắc Kạn', kind: 'province', parentId: null, memberCount: 0, initiatives: 0 },
  { id: 'tp-bac-kan', name: 'LĐLĐ thành phố Bắc Kạn', kind: 'district', parentId: 'bac-kan', memberCount: 1000, initiatives: 260 },
  { id: 'ba-be', name: 'LĐLĐ huyện Ba Bể', kind: 'district', parentId: 'bac-kan', memberCount: 1000, initiatives: 150 },
  { id: 'bach-thong', name: 'LĐLĐ huyện Bạch Thông', kind: 'district', parentId: 'bac-kan', memberCount: 1000, initiatives: 120 },
  { id: 'cho-don', name: 'LĐLĐ huyện Chợ Đồn', kind: 'district', parentId: 'bac-kan', memberCount: 400, initiatives: 40 },
  { id: 'cs-xi-mang', name: 'CĐCS Công ty Xi măng Chợ Đồn', kind: 'grassroots', parentId: 'cho-don', memberCount: 200, initiatives: 60 },
  { id: 'cs-thpt-cho-don', name: 'CĐCS Trường THPT Chợ Đồn', kind: 'grassroots', parentId: 'cho-don', memberCount: 200, initiatives: 45 },
  { id: 'cs-ttyt-cho-don', name: 'CĐCS Trung tâm Y tế Chợ Đồn', kind: 'grassroots', parentId: 'cho-don', memberCount: 200, initiatives: 25 },
  { id: 'cho-moi', name: 'LĐLĐ huyện Chợ Mới', kind: 'district', parentId: 'bac-kan', memberCount: 1000, initiatives: 140 },
  { id: 'na-ri', name: 'LĐLĐ huyện Na Rì', kind: 'district', parentId: 'bac-kan', memberCount: 1000, initiatives: 130 },
  { id: 'ngan-son', name: 'LĐLĐ huyện Ngân Sơn', kind: 'district', parentId: 'bac-kan', memberCount: 1000, initiatives: 90 },
  { id: 'pac-nam', name: 'LĐLĐ huyện Pác Nặm', kind: 'district', parentId: 'bac-kan', memberCount: 1000, initiatives: 30 },
  { id: 'cd-giao-duc', name: 'Công đoàn ngành Giáo dục', kind: 'sector', parentId: 'bac-kan', memberCount: 1000, initiatives: 220 },
  { id: 'cd-y-te', name: 'Công đoàn ngành Y tế', kind: 'sector', parentId: 'bac-kan', memberCount: 1000, initiatives: 110 },
  { id: 'cd-nong-nghiep', name: 'Công đoàn ngành Nông nghiệp và PTNT', kind: 'sector', parentId: 'bac-kan', memberCount: 1000, initiatives: 70 },
  { id: 'cd-vien-chuc', name: 'Công đoàn Viên chức tỉnh', kind: 'sector', parentId: 'bac-kan', memberCount: 1000, initiatives: 49 },
];

const TITLES = ['Cải tiến quy trình tiếp nhận hồ sơ', 'Sáng kiến tiết kiệm điện năng', 'Giải pháp quản lý kho vật tư', 'Sáng kiến số hóa sổ theo dõi đoàn viên', 'Cải tiến khuôn mẫu đúc'];

/**
 * The phase-1 initiatives of the article, submitted and approved in phase 1 (6,500,000 đ each), as
 * the command side would have recorded them: `count` per unit, in submission order, the last
 * `skip` of a unit left out (the test records those through the API).
 */
export function bacKanInitiatives(programId: string, skip: Record<string, number> = {}): ProgrammeLog {
  const log = new ProgrammeLog(programId);
  let n = 0;
  for (const unit of BAC_KAN_UNITS) {
    for (let i = 0; i < unit.initiatives - (skip[unit.id] ?? 0); i++, n++) {
      const id = `${unit.id}-sk${i + 1}`;
      // Spread over February to May, so that units reach their quota on different days.
      const day = 1 + Math.floor((i * 97) / Math.max(1, unit.initiatives)) ;
      const submittedAt = new Date(Date.UTC(2022, 1, 1) + day * 86_400_000 + (n % 8) * 3_600_000).toISOString();
      log.submit(id, unit.id, submittedAt, '6500000', { title: `${TITLES[n % TITLES.length]} (${unit.name}, số ${i + 1})` });
      log.approve(id, unit.id, new Date(Date.parse(submittedAt) + 7 * 86_400_000).toISOString(), '6500000');
    }
  }
  return log;
}
