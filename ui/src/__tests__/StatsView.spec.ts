/** The statistics screen against a fake backend: paragraph, counting switch, drill-down, export. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { clearMocks } from '@tauri-apps/api/mocks'
import StatsView from '../components/StatsView.vue'
import { i18n, setLocale } from '../i18n'
import { activity, fakeBackend, settle, tally } from './helpers'
import type { BreakdownBy, BreakdownLine, Tally, YearClose } from '../ipc'

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
  localStorage.clear()
})

function line(key: string, label: string, activities: number, records: number): BreakdownLine {
  return {
    key, label, detail: null, activities, records, people_served: activities * 100, items_received: 0,
    items_resolved: 0, funds_fen: 0, consultations: 0, research_reports: 0, proposals: 0, opinion_reports: 0,
  }
}

/** A year close of `totals`, each breakdown's lines from `lines(by)`. */
function yearClose(totals: Tally, lines: (by: BreakdownBy) => BreakdownLine[]): YearClose {
  return {
    tally: totals,
    by_category: lines('category'),
    by_studio: lines('studio'),
    by_studio_kind: lines('studio_kind'),
    by_sector: lines('sector'),
    by_member: lines('member'),
    by_month: lines('month'),
  }
}

function backend() {
  return fakeBackend({
    year_close: (a) =>
      yearClose(
        (a.options as { include_unreviewed: boolean }).include_unreviewed
          ? tally()
          : tally({ basis: '仅统计已审核记录', include_unreviewed: false, paragraph: '仅已审核的表述' }),
        (by) =>
          by === 'member'
            ? [line('15001', '王强', 3, 4)]
            : by === 'month'
              ? [line('2024-05', '5月', 2, 2)]
              : [line('studio-1', '医药卫生界别委员工作室', 7, 7)],
      ),
    drill: () => [activity({ category: 'proposal', title: '关于停车的建议' })],
    export_year: (a) => ({ path: `/tmp/2024年度履职统计.${a.format}`, records: 105 }),
    save_year_report: () => '/tmp/永康市政协2024年度履职统计报告.docx',
    save_all_member_records: () => [70, '/tmp/档案'],
  })
}

function mountStats() {
  setLocale('zh-CN')
  return mount(StatsView, {
    props: { year: 2024 },
    attachTo: document.body,
    global: {
      plugins: [ElementPlus, i18n],
      stubs: { EChart: true, transition: false, 'transition-group': false },
    },
  })
}

describe('StatsView', () => {
  it('shows the year-end paragraph and what it counts', async () => {
    backend()
    const wrapper = mountStats()
    await settle()
    expect(wrapper.get('[data-test=paragraph]').text()).toContain('委员工作室开展各类活动50多次，服务群众1万多人次')
    expect(wrapper.get('[data-test=basis]').text()).toContain('含未审核记录')
    expect(wrapper.get('[data-test=total-proposals]').text()).toContain('5件')
  })

  it('names categories, studio kinds and months in English from the codes, not the backend labels', async () => {
    fakeBackend({
      year_close: () =>
        yearClose(tally(), (by) =>
          by === 'category'
            ? [line('consultation', '协商议政', 0, 6)]
            : by === 'studio_kind'
              ? [line('collective', '集体型', 3, 3), line('', '未关联工作室', 1, 1)]
              : by === 'month'
                ? [line('2024-05', '5月', 2, 2)]
                : [line('studio-1', '医药卫生界别委员工作室', 7, 7)],
        ),
    })
    const wrapper = mountStats()
    setLocale('en')
    await settle()
    await wrapper.get('#tab-category').trigger('click')
    await settle()
    expect(wrapper.get('[data-test=breakdown-table]').text()).toContain('Consultation')
    expect(wrapper.get('[data-test=breakdown-table]').text()).not.toContain('协商议政')
    await wrapper.get('#tab-studio_kind').trigger('click')
    await settle()
    expect(wrapper.get('[data-test=breakdown-table]').text()).toContain('Collective')
    expect(wrapper.get('[data-test=breakdown-table]').text()).toContain('No studio')
    await wrapper.get('#tab-month').trigger('click')
    await settle()
    expect(wrapper.get('[data-test=breakdown-table]').text()).toContain('Month 5')
    setLocale('zh-CN')
  })

  it('asks once for the whole year close, and its tabs switch without asking again', async () => {
    const calls = backend()
    const wrapper = mountStats()
    await settle()
    await wrapper.get('#tab-member').trigger('click')
    await settle()
    expect(wrapper.get('[data-test=breakdown-table]').text()).toContain('王强')
    await wrapper.get('#tab-month').trigger('click')
    await settle()
    expect(wrapper.get('[data-test=breakdown-table]').text()).toContain('5月')
    expect(calls.filter((c) => c.cmd === 'year_close')).toHaveLength(1)
    expect(calls.map((c) => c.cmd)).not.toContain('breakdown')
  })

  it('recounts without unreviewed records when the switch is turned off', async () => {
    const calls = backend()
    const wrapper = mountStats()
    await settle()
    await wrapper.get('[data-test=include-unreviewed]').trigger('click')
    await settle()
    const tallies = calls.filter((c) => c.cmd === 'year_close')
    const last = tallies[tallies.length - 1]
    expect((last.args.options as { include_unreviewed: boolean }).include_unreviewed).toBe(false)
    expect(wrapper.get('[data-test=basis]').text()).toContain('仅统计已审核记录')
  })

  it('opens the records behind a figure', async () => {
    const calls = backend()
    const wrapper = mountStats()
    await settle()
    await wrapper.get('[data-test=total-proposals]').trigger('click')
    await settle()
    const drill = calls.find((c) => c.cmd === 'drill')!
    expect(drill.args.scope).toEqual({ category: 'proposal' })
    expect(drill.args.year).toBe(2024)
    expect(document.querySelector('[data-test=drill-title]')?.textContent).toBe('关于停车的建议')
  })

  it('exports through the backend and copies the paragraph', async () => {
    const calls = backend()
    const writeText = vi.fn().mockResolvedValue(undefined)
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    const wrapper = mountStats()
    await settle()
    await wrapper.get('[data-test=export-xlsx]').trigger('click')
    await settle()
    expect(calls.find((c) => c.cmd === 'export_year')?.args.format).toBe('xlsx')
    await wrapper.get('[data-test=copy-paragraph]').trigger('click')
    await settle()
    expect(writeText).toHaveBeenCalledWith(tally().paragraph)
  })

  it('saves the year report as a Word document through the backend', async () => {
    const calls = backend()
    const wrapper = mountStats()
    await settle()
    await wrapper.get('[data-test=export-docx]').trigger('click')
    await settle()
    const call = calls.find((c) => c.cmd === 'save_year_report')
    expect(call?.args).toMatchObject({ year: 2024, options: { include_unreviewed: true } })
    expect(document.body.textContent).toContain('统计报告已保存：/tmp/永康市政协2024年度履职统计报告.docx')
  })

  it('saves every member record as Word documents into a folder', async () => {
    const calls = backend()
    const wrapper = mountStats()
    await settle()
    await wrapper.get('[data-test=export-all-records]').trigger('click')
    await settle()
    expect(calls.find((c) => c.cmd === 'save_all_member_records')?.args).toMatchObject({ year: 2024 })
    expect(document.body.textContent).toContain('已保存 70 位委员的年度履职档案：/tmp/档案')
  })
})
