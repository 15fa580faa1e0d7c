/**
 * The one list of activity categories (src/categories.ts): its order, its names in both
 * languages, and what the two pickers that use it show, the record form's 类别 and the
 * records list's category filter. That the list holds every category of the Rust enum and
 * no other is checked by vue-tsc (`satisfies Record<Category, true>`), not here.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks } from '@tauri-apps/api/mocks'
import { ASSISTANCE_FORMS, CATEGORIES, CATEGORY_COLOURS, CONSULTATION_FORMATS } from '../categories'
import zhCN from '../i18n/zh-CN'
import en from '../i18n/en'
import App from '../App.vue'
import ActivityForm from '../components/ActivityForm.vue'
import { fakeBackend, members, mountWith, pageOf, settle, studios, tally } from './helpers'
import type { AppInfo } from '../ipc'

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
  localStorage.clear()
})

/** What the pickers showed before the list was shared, in this order. */
const SHOWN_ZH = [
  '工作室活动', '协商议政', '视察调研', '调研成果', '提案', '社情民意信息',
  '监测平台信息', '帮扶资金', '培训', '外出学习考察', '其他活动',
]

/**
 * The options of the select that carries `data-test=<name>`, as shown, in order. A select
 * whose list is rendered only while open (`:persistent="false"`) is opened first.
 */
async function optionsOf(name: string): Promise<string[]> {
  const input = document.querySelector<HTMLElement>(`[data-test=${name}] input[aria-controls]`)
  if (!input) throw new Error(`no select [data-test=${name}] in the document`)
  // The dropdown is teleported to <body>; the select's input names its list.
  let list = document.getElementById(input.getAttribute('aria-controls') ?? '')
  if (!list) {
    document.querySelector<HTMLElement>(`[data-test=${name}] .el-select__wrapper`)?.click()
    await settle()
    list = document.getElementById(input.getAttribute('aria-controls') ?? '')
  }
  if (!list) throw new Error(`the list of [data-test=${name}] is not rendered`)
  return Array.from(list.querySelectorAll('.el-select-dropdown__item')).map((o) => o.textContent?.trim() ?? '')
}

describe('categories', () => {
  it('lists every category once, in the order the pickers show', () => {
    expect(CATEGORIES).toEqual([
      'studio_activity', 'consultation', 'inspection', 'research_report', 'proposal',
      'opinion_report', 'monitoring_intake', 'assistance', 'training', 'study_visit', 'other',
    ])
    expect(Object.isFrozen(CATEGORIES)).toBe(true)
  })

  it('has a name for each in both languages', () => {
    expect(CATEGORIES.map((c) => zhCN.category[c])).toEqual(SHOWN_ZH)
    expect(CATEGORIES.every((c) => typeof en.category[c] === 'string' && en.category[c] !== '')).toBe(true)
  })

  it('is what the record form offers', async () => {
    fakeBackend({})
    mountWith(ActivityForm, { open: true, activity: null, year: 2024, members, studios })
    await settle()
    expect(await optionsOf('field-category')).toEqual(SHOWN_ZH)
  })

  it('is what the records list filters by', async () => {
    const info: AppInfo = {
      db_path: '/tmp/demo.db',
      demo: true,
      device_id: 'dev',
      version: '0.1.0',
      default_year: 2024,
      current_year: 2024,
      open_error: null,
      backup_warning: null,
      setup: { role: 'office', owner: null, committee: null },
    }
    fakeBackend({
      app_info: () => info,
      list_activities: (a) => pageOf([], a),
      tally_year: () => tally(),
      list_members: () => members,
      list_studios: () => studios,
    })
    mountWith(App)
    await settle()
    expect(await optionsOf('filter-category')).toEqual(SHOWN_ZH)
  })

  it('gives every category a colour of its own, and names every format and form', () => {
    const colours = CATEGORIES.map((c) => CATEGORY_COLOURS[c])
    expect(new Set(colours).size).toBe(CATEGORIES.length)
    for (const f of CONSULTATION_FORMATS) expect(zhCN.consultationFormat[f]).toBeTruthy()
    for (const f of ASSISTANCE_FORMS) expect(zhCN.assistanceForm[f]).toBeTruthy()
    expect(CONSULTATION_FORMATS).toHaveLength(5)
    expect(ASSISTANCE_FORMS).toHaveLength(4)
  })
})
