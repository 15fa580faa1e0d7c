/**
 * The only door from the UI to the backend. Every Tauri command is wrapped here with its
 * types (generated from Rust into ./bindings), and every failure becomes an IpcError whose
 * `kind` the UI switches on; no component matches on message text.
 */
import { invoke } from '@tauri-apps/api/core'
import { answerFromFirstScreen, forgetFirstScreen, takeFirstScreen } from './firstScreen'
import type { Activity } from './bindings/Activity'
import type { ActivityFilter } from './bindings/ActivityFilter'
import type { ActivityPage } from './bindings/ActivityPage'
import type { ActivityInput } from './bindings/ActivityInput'
import type { AppInfo } from './bindings/AppInfo'
import type { ErrorKind } from './bindings/ErrorKind'
import type { ErrorReport } from './bindings/ErrorReport'
import type { Member } from './bindings/Member'
import type { MemberDetails } from './bindings/MemberDetails'
import type { MemberInput } from './bindings/MemberInput'
import type { Studio } from './bindings/Studio'
import type { StudioInput } from './bindings/StudioInput'
import type { Tally } from './bindings/Tally'
import type { TallyOptions } from './bindings/TallyOptions'
import type { BreakdownBy } from './bindings/BreakdownBy'
import type { BreakdownLine } from './bindings/BreakdownLine'
import type { YearClose } from './bindings/YearClose'
import type { MemberRecord } from './bindings/MemberRecord'
import type { ExportSummary } from './bindings/ExportSummary'
import type { RosterPick } from './bindings/RosterPick'
import type { ApplyOutcome } from './bindings/ApplyOutcome'
import type { StudioPick } from './bindings/StudioPick'
import type { StudioPreview } from './bindings/StudioPreview'
import type { DeviceSetup } from './bindings/DeviceSetup'
import type { DeviceRole } from './bindings/DeviceRole'
import type { Status } from './bindings/Status'
import type { ExchangeOverview } from './bindings/ExchangeOverview'
import type { PackagePick } from './bindings/PackagePick'
import type { MergeReport } from './bindings/MergeReport'
import type { RosterPackageOutcome } from './bindings/RosterPackageOutcome'
import type { CarryBack } from './bindings/CarryBack'
import type { ParagraphSettings } from './bindings/ParagraphSettings'
import type { ReviewCounts } from './bindings/ReviewCounts'
import type { ImportMode } from './bindings/ImportMode'
import type { ImportChoice } from './bindings/ImportChoice'
import type { RosterPreview } from './bindings/RosterPreview'
import type { ParagraphPreview } from './bindings/ParagraphPreview'
import type { BackupList } from './bindings/BackupList'
import type { BackupPick } from './bindings/BackupPick'
import type { RestoreOutcome } from './bindings/RestoreOutcome'
import type { ScoreRule } from './bindings/ScoreRule'
import type { ScoreRules } from './bindings/ScoreRules'
import type { ScoreBasisOption } from './bindings/ScoreBasisOption'
import type { MemberScore } from './bindings/MemberScore'
import type { YearScores } from './bindings/YearScores'
import type { Meeting } from './bindings/Meeting'
import type { MeetingDetail } from './bindings/MeetingDetail'
import type { MeetingInput } from './bindings/MeetingInput'
import type { InviteScope } from './bindings/InviteScope'
import type { RollEntry } from './bindings/RollEntry'
import type { AttendanceRates } from './bindings/AttendanceRates'
import type { MemberAttendance } from './bindings/MemberAttendance'
import type { SigninPick } from './bindings/SigninPick'
import type { SigninPreview } from './bindings/SigninPreview'
import type { Proposal } from './bindings/Proposal'
import type { ProposalStage } from './bindings/ProposalStage'
import type { StageFilter } from './bindings/StageFilter'
import type { OpinionReport } from './bindings/OpinionReport'
import type { OpinionAdoption } from './bindings/OpinionAdoption'
import type { AdoptionKind } from './bindings/AdoptionKind'
import type { AdoptionLevel } from './bindings/AdoptionLevel'
import type { AdoptionCounts } from './bindings/AdoptionCounts'

export type {
  Activity,
  ActivityFilter,
  ActivityPage,
  ActivityInput,
  AppInfo,
  ErrorKind,
  ErrorReport,
  Member,
  MemberDetails,
  MemberInput,
  Studio,
  StudioInput,
  Tally,
  TallyOptions,
  BreakdownBy,
  BreakdownLine,
  YearClose,
  MemberRecord,
  ExportSummary,
  RosterPick,
  ApplyOutcome,
  StudioPick,
  StudioPreview,
  DeviceSetup,
  DeviceRole,
}
export type { RosterPreview } from './bindings/RosterPreview'
export type { ParagraphSettings } from './bindings/ParagraphSettings'
export type { ReviewCounts } from './bindings/ReviewCounts'
export type { ImportMode } from './bindings/ImportMode'
export type { ImportChoice } from './bindings/ImportChoice'
export type { ParagraphPreview } from './bindings/ParagraphPreview'
export type { OtherEvents } from './bindings/OtherEvents'
export type { Placeholder } from './bindings/Placeholder'
export type { TemplateError } from './bindings/TemplateError'
export type { Problem } from './bindings/Problem'
export type { PreviewRow } from './bindings/PreviewRow'
export type { Category } from './bindings/Category'
export type { ConsultationFormat } from './bindings/ConsultationFormat'
export type { AssistanceForm } from './bindings/AssistanceForm'
export type { ServiceLine } from './bindings/ServiceLine'
export type { Figure } from './bindings/Figure'
export type { MoneyFigure } from './bindings/MoneyFigure'
export type { Status } from './bindings/Status'
export type { ExchangeOverview } from './bindings/ExchangeOverview'
export type { ConflictView } from './bindings/ConflictView'
export type { PackagePick } from './bindings/PackagePick'
export type { MergeReport } from './bindings/MergeReport'
export type { MergeItem } from './bindings/MergeItem'
export type { RosterPackageOutcome } from './bindings/RosterPackageOutcome'
export type { Gender } from './bindings/Gender'
export type { Role } from './bindings/Role'
export type { StudioKind } from './bindings/StudioKind'
export type { BackupList } from './bindings/BackupList'
export type { BackupPick } from './bindings/BackupPick'
export type { BackupInfo } from './bindings/BackupInfo'
export type { BackupPreview } from './bindings/BackupPreview'
export type { BackupReason } from './bindings/BackupReason'
export type { RestoreOutcome } from './bindings/RestoreOutcome'
export type { CarryBack } from './bindings/CarryBack'
export type { Quarantined } from './bindings/Quarantined'
export type { QuarantineProblem } from './bindings/QuarantineProblem'
export type { RecordField } from './bindings/RecordField'
export type { ScoreRule } from './bindings/ScoreRule'
export type { ScoreRules } from './bindings/ScoreRules'
export type { ScoreBasisOption } from './bindings/ScoreBasisOption'
export type { ScorePer } from './bindings/ScorePer'
export type { ScoreSource } from './bindings/ScoreSource'
export type { ScoreFact } from './bindings/ScoreFact'
export type { ScoreItem } from './bindings/ScoreItem'
export type { MemberScore } from './bindings/MemberScore'
export type { YearScores } from './bindings/YearScores'
export type { Meeting, MeetingDetail, MeetingInput, InviteScope, RollEntry, AttendanceRates, MemberAttendance, SigninPick, SigninPreview }
export type { MeetingKind } from './bindings/MeetingKind'
export type { Attendance } from './bindings/Attendance'
export type { AttendanceRate } from './bindings/AttendanceRate'
export type { Invitee } from './bindings/Invitee'
export type { KindAttendance } from './bindings/KindAttendance'
export type { MemberMeeting } from './bindings/MemberMeeting'
export type { Proposal, ProposalStage, StageFilter, OpinionReport, OpinionAdoption, AdoptionKind, AdoptionLevel, AdoptionCounts }
export type { ProposalUnit } from './bindings/ProposalUnit'
export type { Filing } from './bindings/Filing'
export type { Satisfaction } from './bindings/Satisfaction'
export type { UnitRole } from './bindings/UnitRole'
export type { LevelCounts } from './bindings/LevelCounts'

/** A failed command: what kind of failure, the message to show, and the field it concerns. */
export class IpcError extends Error {
  readonly kind: ErrorKind | 'internal'
  readonly field: string | null

  constructor(report: { kind: ErrorKind | 'internal'; message: string; field?: string | null }) {
    super(report.message)
    this.name = 'IpcError'
    this.kind = report.kind
    this.field = report.field ?? null
  }
}

function isReport(value: unknown): value is ErrorReport {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorReport).kind === 'string' &&
    typeof (value as ErrorReport).message === 'string'
  )
}

takeFirstScreen()
export { forgetFirstScreen }

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  const kept = answerFromFirstScreen(command, args)
  if (kept.found) return kept.answer as T
  try {
    return await invoke<T>(command, args)
  } catch (err) {
    if (isReport(err)) throw new IpcError(err)
    throw new IpcError({ kind: 'internal', message: String(err) })
  }
}

/** How the header and the statistics screen count unless told otherwise. */
export const DEFAULT_TALLY_OPTIONS: TallyOptions = { more: 'duo', include_unreviewed: true }

export const api = {
  appInfo: () => call<AppInfo>('app_info'),
  /** Zooms the page (0.8–2.0); the zoom set. */
  setZoom: (scale: number) => call<number>('set_zoom', { scale }),
  /**
   * Tells the shell the first screen has painted (the mark the benchmark and install test
   * read), with the page's own moments of the start (`startupTrace`).
   */
  firstScreenRendered: (trace: string) => call<void>('first_screen_rendered', { trace }),
  /** Answers the first launch: a member's laptop (with its owner) or the office. */
  setDeviceSetup: (
    role: DeviceRole,
    ownerCode: string | null,
    ownerName: string | null,
    committee: string | null,
  ) => call<DeviceSetup>('set_device_setup', { role, ownerCode, ownerName, committee }),
  /** One page of the list (the filter's limit and offset) and how many records match in all. */
  listActivities: (filter: ActivityFilter) => call<ActivityPage>('list_activities', { filter }),
  addActivity: (input: ActivityInput) => call<Activity>('add_activity', { input }),
  updateActivity: (id: string, input: ActivityInput) =>
    call<Activity>('update_activity', { id, input }),
  deleteActivity: (id: string) => call<Activity>('delete_activity', { id }),
  restoreActivity: (id: string) => call<Activity>('restore_activity', { id }),
  listMembers: () => call<Member[]>('list_members'),
  listStudios: () => call<Studio[]>('list_studios'),
  /** A member for 名单管理's edit form: never the phone or the ID number, only whether kept. */
  memberDetails: (code: string) => call<MemberDetails>('member_details', { code }),
  /** Adds a member typed in, checked as the roster import checks a row. */
  addMember: (input: MemberInput) => call<MemberDetails>('add_member', { input }),
  /** Changes a member (not the code); an empty phone or ID number keeps the one on file. */
  updateMember: (code: string, input: MemberInput) => call<MemberDetails>('update_member', { code, input }),
  /** Deactivates or reactivates a member; a studio's lead is not deactivated. */
  setMemberActive: (code: string, active: boolean) => call<MemberDetails>('set_member_active', { code, active }),
  addStudio: (input: StudioInput) => call<Studio>('add_studio', { input }),
  /** Changes a studio: name, kind, focus, lead (one of its members) and members. */
  updateStudio: (id: string, input: StudioInput) => call<Studio>('update_studio', { id, input }),
  tallyYear: (year: number, options: TallyOptions) => call<Tally>('tally_year', { year, options }),
  /** The year-end paragraph's template and whether other events are stated apart. */
  paragraphSettings: () => call<ParagraphSettings>('paragraph_settings'),
  /** What `settings` would write for `year`, for the editor's live preview; keeps nothing. */
  previewParagraph: (year: number, options: TallyOptions, settings: ParagraphSettings) =>
    call<ParagraphPreview>('preview_paragraph', { year, options, settings }),
  /** Keeps `settings` once its template writes `year`'s paragraph without error. */
  setParagraphSettings: (year: number, settings: ParagraphSettings) =>
    call<ParagraphSettings>('set_paragraph_settings', { year, settings }),
  /** 年度统计 in one call: the tally with its paragraph and every breakdown of the year. */
  yearClose: (year: number, options: TallyOptions) => call<YearClose>('year_close', { year, options }),
  drill: (year: number, options: TallyOptions, scope: ActivityFilter) =>
    call<Activity[]>('drill', { year, options, scope }),
  memberRecord: (year: number, options: TallyOptions, code: string) =>
    call<MemberRecord>('member_record', { year, options, code }),
  /** Opens a save dialog in the backend; null when it was cancelled. */
  exportYear: (year: number, options: TallyOptions, format: 'xlsx' | 'csv') =>
    call<ExportSummary | null>('export_year', { year, options, format }),
  /** Opens a save dialog in the backend; the path written, or null when cancelled. */
  saveMemberRecord: (year: number, options: TallyOptions, code: string) =>
    call<string | null>('save_member_record', { year, options, code }),
  /** One member's 年度履职档案 as a Word document, saved where the user says; the path or null. */
  saveMemberRecordDocx: (year: number, options: TallyOptions, code: string) =>
    call<string | null>('save_member_record_docx', { year, options, code }),
  /** Every active member's 年度履职档案 as Word documents, into a folder the user picks:
   *  how many and where, or null when cancelled. */
  saveAllMemberRecords: (year: number, options: TallyOptions) =>
    call<[number, string] | null>('save_all_member_records', { year, options }),
  /** The 年度履职统计报告 as a Word document (GB/T 9704), saved where the user says. */
  saveYearReport: (year: number, options: TallyOptions) =>
    call<string | null>('save_year_report', { year, options }),
  /** Opens a file dialog in the backend and previews the picked roster; null when cancelled. */
  /** Opens the file dialog and previews the file as the roster taken in `mode`; null when cancelled. */
  pickRoster: (mode: ImportMode) => call<RosterPick | null>('pick_roster', { mode }),
  /** The file last picked, previewed again in another mode. */
  previewPendingRoster: (mode: ImportMode) => call<RosterPreview>('preview_pending_roster', { mode }),
  /** Imports the roster last previewed, all or nothing. */
  /** Imports the file last picked; a mass deactivation needs its count in `choice`. */
  applyRoster: (choice: ImportChoice) => call<ApplyOutcome>('apply_roster', { choice }),
  saveRosterProblems: () => call<string | null>('save_roster_problems'),
  saveRosterTemplate: () => call<string | null>('save_roster_template'),
  /** Opens a file dialog in the backend and previews the picked studio list. */
  pickStudios: () => call<StudioPick | null>('pick_studios'),
  applyStudios: () => call<StudioPreview>('apply_studios'),

  /** This ledger's key fingerprint, to compare by phone or in person. */
  keyFingerprint: () => call<string>('key_fingerprint'),
  /** A member's 导出给办公室: save dialog in the backend; the path written, or null. */
  exportMemberPackage: (year: number) => call<string | null>('export_member_package', { year }),
  /** The office's 导入委员数据: open dialog in the backend and a preview; null when cancelled. */
  pickPackage: () => call<PackagePick | null>('pick_package'),
  /** Merges the package last previewed, in one transaction. */
  applyPackage: () => call<MergeReport>('apply_package'),
  exchangeOverview: () => call<ExchangeOverview>('exchange_overview'),
  resolveConflict: (id: number, takeMember: boolean) => call<Activity>('resolve_conflict', { id, takeMember }),
  trustMemberKey: (code: string) => call<null>('trust_member_key', { code }),
  /** 换电脑: clears the member's old computer ID; roster packages carry their accepted records back. */
  changeLaptop: (code: string) => call<CarryBack>('change_laptop', { code }),
  /** 放弃: removes a record or package from quarantine; nothing is merged. */
  discardQuarantined: (id: number) => call<null>('discard_quarantined', { id }),
  /** 重试: merges a package refused whole again; `newLaptop` first records 换电脑 for a changed key. */
  retryQuarantined: (id: number, newLaptop: boolean) =>
    call<MergeReport>('retry_quarantined', { id, newLaptop }),
  /** The office's review of the records ticked, with one comment: all or nothing; how many. */
  reviewActivities: (ids: string[], status: Status, comment: string | null) =>
    call<number>('review_activities', { ids, status, comment }),
  /** How many of `year`'s records stand at each step of review. */
  reviewCounts: (year: number) => call<ReviewCounts>('review_counts', { year }),
  reviewActivity: (id: string, status: Status, comment: string | null) =>
    call<Activity>('review_activity', { id, status, comment }),
  /** The office's 导出名单包: save dialog in the backend; the path written, or null. */
  exportRosterPackage: () => call<string | null>('export_roster_package'),
  /** A member's 导入名单包: open dialog in the backend, then import; null when cancelled. */
  importRosterPackage: () => call<RosterPackageOutcome | null>('import_roster_package'),

  /** The backups beside the ledger, newest first; works when the ledger could not be opened. */
  listBackups: () => call<BackupList>('list_backups'),
  /** How many automatic backups are kept (1 to 1000). */
  setBackupKeep: (keep: number) => call<number>('set_backup_keep', { keep }),
  /** 立即备份: folder dialog in the backend; the backup's path, or null when cancelled. */
  backupNow: () => call<string | null>('backup_now'),
  /** Puts the listed backup named `fileName` in the ledger's place (after backing the ledger up). */
  restoreBackup: (fileName: string) => call<RestoreOutcome>('restore_backup', { fileName }),
  /** 从其他文件恢复: open dialog in the backend and the file's preview; null when cancelled. */
  pickRestoreFile: () => call<BackupPick | null>('pick_restore_file'),
  /** Restores the file last picked in pickRestoreFile. */
  restorePicked: () => call<RestoreOutcome>('restore_picked'),
  /** Shows the ledger's folder in the system's file manager. */
  openLedgerFolder: () => call<null>('open_ledger_folder'),
  /** Open dialog in the backend; the app starts again on the picked ledger. False when cancelled. */
  openOtherLedger: () => call<boolean>('open_other_ledger'),

  /** 履职积分: every basis a rule can count, for the rules editor. */
  scoreBases: () => call<ScoreBasisOption[]>('score_bases'),
  /** The rules a year starts from when the office has written none. */
  suggestedScoreRules: () => call<ScoreRule[]>('suggested_score_rules'),
  /** A year's rules (points in hundredths), and the latest earlier year that has some. */
  scoreRules: (year: number) => call<ScoreRules>('score_rules', { year }),
  /** Replaces a year's rules, all or nothing; other years' stay. */
  setScoreRules: (year: number, rules: ScoreRule[]) => call<ScoreRules>('set_score_rules', { year, rules }),
  /** Every member's score for the year, ranked within each sector (items without their records). */
  yearScores: (year: number, options: TallyOptions) => call<YearScores>('year_scores', { year, options }),
  /** One member's score, each item with the records behind it. */
  memberScore: (year: number, options: TallyOptions, code: string) =>
    call<MemberScore>('member_score', { year, options, code }),
  /** The 履职积分 workbook: save dialog in the backend; the path written, or null. */
  saveScoresXlsx: (year: number, options: TallyOptions) =>
    call<string | null>('save_scores_xlsx', { year, options }),
  // 会议考勤: meetings, their rolls and attendance rates.
  /** The meetings of a year (or all), newest first, with their roll's counts. */
  listMeetings: (year: number | null) => call<Meeting[]>('list_meetings', { year }),
  meeting: (id: string) => call<MeetingDetail>('meeting', { id }),
  createMeeting: (input: MeetingInput) => call<Meeting>('create_meeting', { input }),
  editMeeting: (id: string, input: MeetingInput) => call<Meeting>('edit_meeting', { id, input }),
  deleteMeeting: (id: string) => call<null>('delete_meeting', { id }),
  /** Invites whoever `scope` names; the meeting's roll after. */
  inviteToMeeting: (id: string, scope: InviteScope) => call<MeetingDetail>('invite_to_meeting', { id, scope }),
  uninviteFromMeeting: (id: string, codes: string[]) =>
    call<MeetingDetail>('uninvite_from_meeting', { id, codes }),
  /** Records the roll, all or nothing; `restPresent` marks every invitee not in `entries` 出席. */
  takeRoll: (id: string, entries: RollEntry[], restPresent: boolean) =>
    call<MeetingDetail>('take_roll', { id, entries, restPresent }),
  attendanceRates: (year: number) => call<AttendanceRates>('attendance_rates', { year }),
  memberAttendance: (code: string, year: number) =>
    call<MemberAttendance>('member_attendance', { code, year }),
  /** Open dialog in the backend and the sign-in sheet's preview onto meeting `id`; null when cancelled. */
  pickSignin: (id: string) => call<SigninPick | null>('pick_signin', { id }),
  /** Imports the sign-in sheet last picked onto meeting `id`, all or nothing. */
  applySignin: (id: string) => call<SigninPreview>('apply_signin', { id }),
  /** A year's proposals with their stages (a member's laptop: the owner's own), at `stage` when given. */
  listProposals: (year: number, stage: StageFilter | null) =>
    call<Proposal[]>('list_proposals', { year, stage }),
  /** The office sets a proposal's stage (立案, 承办单位, 办复, satisfaction, 重点). */
  setProposalStage: (id: string, stage: ProposalStage) =>
    call<Proposal>('set_proposal_stage', { id, stage }),
  /** A year's opinion reports with their adoptions. */
  listOpinions: (year: number) => call<OpinionReport[]>('list_opinions', { year }),
  /** Adds (or replaces) an adoption or a leader's instruction at a level. */
  adoptOpinion: (id: string, adoption: OpinionAdoption) =>
    call<OpinionReport>('adopt_opinion', { id, adoption }),
  /** Removes an adoption or instruction. */
  unadoptOpinion: (id: string, kind: AdoptionKind, level: AdoptionLevel) =>
    call<OpinionReport>('unadopt_opinion', { id, kind, level }),
  /** A year's opinion reports counted exactly by level. */
  opinionCounts: (year: number) => call<AdoptionCounts>('opinion_counts', { year }),
}
