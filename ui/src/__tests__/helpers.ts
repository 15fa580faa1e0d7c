/** Shared test set-up: mount with Element Plus and i18n, and a fake backend via mockIPC. */
import { mount } from '@vue/test-utils'
import type { Component } from 'vue'
import ElementPlus from 'element-plus'
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks'
import { i18n, setLocale } from '../i18n'
import type { Activity, ActivityFilter, ActivityPage, BackupInfo, Member, Studio, Tally } from '../ipc'

export type Call = { cmd: string; args: Record<string, unknown> }

/** Installs a fake backend; returns the list of calls it received. */
export function fakeBackend(handlers: Record<string, (args: Record<string, unknown>) => unknown>): Call[] {
  clearMocks()
  const calls: Call[] = []
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>
    calls.push({ cmd, args: a })
    const handler = handlers[cmd]
    if (!handler) throw { kind: 'database', message: `unexpected command ${cmd}`, field: null }
    return handler(a)
  })
  return calls
}

const mounted: { unmount: () => void }[] = []

export function mountWith(component: Component, props: Record<string, unknown> = {}) {
  setLocale('zh-CN')
  const wrapper = mount(component, {
    props,
    attachTo: document.body,
    global: { plugins: [ElementPlus, i18n], stubs: { transition: false, 'transition-group': false } },
  })
  mounted.push(wrapper)
  return wrapper
}

/** Unmounts what `mountWith` mounted, so no window listener of an earlier test stays. */
export function unmountAll() {
  for (const w of mounted.splice(0)) w.unmount()
}

/** Lets promises and Vue's render queue settle. */
export async function settle() {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0))
}

export const members: Member[] = [
  { code: '15001', name: '王强', gender: 'male', sector: '医药卫生', unit_title: null, phone: null, term: '十五届', role: 'member', active: true },
  { code: '15002', name: '李梅', gender: 'female', sector: '教育', unit_title: null, phone: null, term: '十五届', role: 'standing_member', active: true },
]

export const studios: Studio[] = [
  { id: 'studio-1', name: '医药卫生界别委员工作室', kind: 'sector', focus: null, lead_code: '15001', member_codes: ['15001'] },
]

export function activity(overrides: Partial<Activity> = {}): Activity {
  return {
    id: '0190a000-0000-7000-8000-000000000001',
    device_id: 'dev',
    version: 1,
    created_at: '2024-05-12T08:00:00Z',
    updated_at: '2024-05-12T08:00:00Z',
    deleted: false,
    review_comment: null,
    studio_name: '医药卫生界别委员工作室',
    date: '2024-05-12',
    category: 'studio_activity',
    title: '义诊进社区',
    studio_id: 'studio-1',
    organizer: null,
    location: '西城街道',
    doc_number: null,
    participants: ['15001', '15002'],
    people_served: 230,
    items_received: 0,
    items_resolved: 0,
    services: [{ service: '义诊', count: 180 }],
    funds_fen: 0,
    notes: null,
    author_code: null,
    status: 'submitted',
    consultation_format: null,
    recipient: null,
    assistance_forms: [],
    platform: null,
    handled_on_submission: false,
    answered_on: null,
    co_proposers: [],
    proposer_group: null,
    ...overrides,
  }
}

export function tally(overrides: Partial<Tally> = {}): Tally {
  const fig = (exact: number, phrase: string) => ({ exact, phrase })
  return {
    year: 2024,
    period: { from: '2024-01-01', to: '2024-12-31' },
    period_label: '2024年',
    include_unreviewed: true,
    basis: '含未审核记录',
    activities: fig(56, '50多次'),
    people_served: fig(10482, '1万多人次'),
    funds_yuan: { exact: 905432, fen: 90543200, phrase: '90多万元' },
    consultations: fig(6, '6次'),
    research_reports: fig(8, '8篇'),
    proposals: fig(5, '5件'),
    opinion_reports: fig(15, '15篇'),
    items_received: fig(392, '390多条'),
    items_resolved: fig(392, '390多条'),
    records: 105,
    by_category: [],
    resolution_rate: '100%',
    services: [{ service: '义诊', count: 3200 }],
    report: {
      studio_activities: fig(52, '50多次'),
      studio_people_served: fig(10482, '1万多人次'),
      other_events: fig(4, '4次'),
      other_event_kinds: ['inspection', 'training', 'study_visit'],
      other_people_served: fig(0, '0人次'),
      other_event_people_served: 0,
      consultation_formats: [{ format: 'please_come', count: 6 }],
      proposals_on_submission: 5,
      proposals_answered: 5,
      first_proposal_on_submission: '关于实施西城街道童宅村应急供水工程的建议',
      platforms: ['营商环境监测平台'],
      platform_unnamed: false,
      recipients: ['平昌县'],
      assistance_forms: ['goods', 'consumption', 'funds'],
    },
    paragraph:
      '2024年全年，委员工作室开展各类活动50多次，服务群众1万多人次；另组织视察调研、培训、外出学习考察等活动4次。开展“请你来协商”议政活动6次，形成调研成果8篇，编报社情民意信息15篇。《关于实施西城街道童宅村应急供水工程的建议》等5件提案即交即办，均已办复。营商环境监测平台全年共收到各类信息392条，均得到快速解答或有效落实。通过物资帮扶、消费帮扶、资金帮扶等形式，向平昌县对口帮扶资金90多万元。',
    paragraph_problem: null,
    ...overrides,
  }
}

/** What `list_activities` answers for `all` matching records: the page its filter asks for. */
export function pageOf(all: Activity[], args: Record<string, unknown>): ActivityPage {
  const filter = args.filter as ActivityFilter
  const offset = filter.offset ?? 0
  const end = filter.limit == null ? all.length : offset + filter.limit
  return { total: all.length, offset, rows: all.slice(offset, end) }
}

/** A backup beside the ledger as `list_backups` lists it. */
export function backupInfo(overrides: Partial<BackupInfo> = {}): BackupInfo {
  return {
    path: '/data/backups/lvzhi.backup-20240512-093005-123-daily.db',
    file_name: 'lvzhi.backup-20240512-093005-123-daily.db',
    time: '2024-05-12T09:30:05.123',
    reason: 'daily',
    reason_label: '每日自动备份',
    size: 1572864,
    preview: {
      schema_version: 6,
      older: false,
      members: 70,
      records: 105,
      years: [
        { year: 2024, records: 98 },
        { year: 2023, records: 7 },
      ],
      committee: '永康市政协',
    },
    problem: null,
    ...overrides,
  }
}
