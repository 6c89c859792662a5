// What users read: Vietnamese names for the API's codes.
export const KINDS = { province: 'Tỉnh, thành phố', sector: 'Ngành', district: 'Quận, huyện', grassroots: 'Cơ sở' };
export const KIND_SHORT = { province: 'LĐLĐ tỉnh', sector: 'CĐ ngành', district: 'LĐLĐ huyện', grassroots: 'CĐ cơ sở' };

export const STATUSES = { submitted: 'Chờ xét duyệt', approved: 'Được công nhận', rejected: 'Không công nhận', withdrawn: 'Đã rút', revoked: 'Bị thu hồi công nhận' };

export const EVENTS = {
  InitiativeSubmitted: 'Đăng ký sáng kiến',
  InitiativeApproved: 'Công nhận sáng kiến',
  InitiativeRejected: 'Không công nhận',
  InitiativeWithdrawn: 'Rút sáng kiến',
  InitiativeApprovalRevoked: 'Thu hồi công nhận',
  InitiativeCorrected: 'Đính chính',
  InitiativeMoved: 'Chuyển đơn vị',
  QuotaAssigned: 'Giao chỉ tiêu',
  UnitRegistered: 'Thành lập đơn vị',
  MemberCountRecorded: 'Cập nhật số đoàn viên',
  UnitMoved: 'Chuyển đơn vị cấp trên',
  UnitMerged: 'Sáp nhập',
  UnitClosed: 'Giải thể',
  ProgramLaunched: 'Ban hành kế hoạch',
  PhaseAmended: 'Điều chỉnh giai đoạn',
  CountingRuleChanged: 'Đổi cách tính',
  EligibilityWindowChanged: 'Đổi thời hạn áp dụng',
};

export const PROJECTION_STATES = { starting: 'Đang khởi động', live: 'Đang chạy', rebuilding: 'Đang dựng lại', failed: 'Lỗi' };
export const JOB_STATES = { requested: 'Đã yêu cầu', running: 'Đang chạy', switching: 'Đang chuyển thế hệ', done: 'Hoàn tất', failed: 'Thất bại' };

export const WHOLE_PROGRAM = 'all';
export const phaseName = (program, phaseId) => (phaseId === WHOLE_PROGRAM ? 'Cả chương trình' : (program.phases.find((p) => p.id === phaseId)?.name ?? phaseId));
export const phaseOptions = (program) => [...program.phases.map((p) => [p.id, p.name]), [WHOLE_PROGRAM, 'Cả chương trình']];
