/** The main window against a fake backend: figures, rows, text safety, and a ledger that failed to open. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { clearMocks } from '@tauri-apps/api/mocks'
import App from '../App.vue'
import { activity, backupInfo, fakeBackend, members, mountWith, pageOf, settle, studios, tally, unmountAll } from './helpers'
import type { AppInfo } from '../ipc'

afterEach(() => {
  unmountAll()
  clearMocks()
  document.body.innerHTML = ''
  localStorage.clear()
})

const info: AppInfo = {
  db_path: '/tmp/demo.db',
  demo: true,
  device_id: 'dev',
  version: '0.1.0',
  default_year: 2024,
  current_year: 2026,
  open_error: null,
  backup_warning: null,
  setup: { role: 'office', owner: null, committee: '永康市政协' },
}

/** What the first screen asks for: one record, the year's figures, the roster and studios. */
const firstScreen: Record<string, (args: Record<string, unknown>) => unknown> = {
  app_info: () => info,
  list_activities: (a) => pageOf([activity()], a),
  tally_year: () => tally(),
  list_members: () => members,
  list_studios: () => studios,
  review_counts: () => ({ draft: 0, submitted: 0, accepted: 2, returned: 0 }),
}

describe('App', () => {
  it('shows the year figures and the records of the default year', async () => {
    const calls = fakeBackend({
      app_info: () => info,
      list_activities: (a) => pageOf([activity(), activity({ id: 'b', title: '科普进校园', people_served: 0 })], a),
      tally_year: () => tally(),
      list_members: () => members,
      list_studios: () => studios,
      review_counts: () => ({ draft: 0, submitted: 0, accepted: 2, returned: 0 }),
    })
    const wrapper = mountWith(App)
    await settle()
    expect(wrapper.get('[data-test=summary-activities]').text()).toContain('50多次')
    expect(wrapper.get('[data-test=summary-people]').text()).toContain('1万多人次')
    expect(wrapper.get('[data-test=summary-people]').text()).toContain('10,482')
    expect(wrapper.get('[data-test=summary-funds]').text()).toContain('905,432.00')
    expect(wrapper.get('[data-test=record-count]').text()).toBe('共 2 条')
    expect(wrapper.find('[data-test=demo-tag]').exists()).toBe(true)
    const listCall = calls.find((c) => c.cmd === 'list_activities')
    expect((listCall!.args.filter as { year: number }).year).toBe(2024)
    expect(document.body.textContent).toContain('2024年5月12日')
  })

  it('asks for the list, figures and roster at once, and marks the first screen once they are drawn', async () => {
    const calls = fakeBackend({
      ...firstScreen,
    })
    mountWith(App)
    // The first question goes out as the window is set up, before anything has rendered.
    expect(calls.map((c) => c.cmd)).toEqual(['app_info'])
    await vi.waitFor(() => expect(calls.some((c) => c.cmd === 'first_screen_rendered')).toBe(true), { timeout: 10000 })
    const cmds = calls.map((c) => c.cmd)
    const mark = cmds.indexOf('first_screen_rendered')
    for (const cmd of ['list_activities', 'tally_year', 'list_members', 'list_studios']) {
      expect(cmds.indexOf(cmd), cmd).toBeGreaterThan(0)
      expect(cmds.indexOf(cmd), cmd).toBeLessThan(mark)
    }
    // One list request, with the default year: the year's watcher left it to the first load.
    expect(cmds.filter((c) => c === 'list_activities')).toHaveLength(1)
    const trace = calls[mark].args.trace as string
    // (main.ts, which stamps `script` and `mounted`, does not run here.)
    expect(trace).toMatch(/(^|, )app_info \d+, rendered \d+, loaded \d+, (frame \d+, )?painted \d+$/)
  })

  it('draws the first screen without a warning or an error on the console', async () => {
    // A directive on a component whose root is not one element (v-loading on the records
    // table, once) does nothing, and Vue says so on every render.
    const said: string[] = []
    const warn = vi.spyOn(console, 'warn').mockImplementation((...args) => void said.push(args.map(String).join(' ')))
    const error = vi.spyOn(console, 'error').mockImplementation((...args) => void said.push(args.map(String).join(' ')))
    try {
      const calls = fakeBackend({ ...firstScreen })
      mountWith(App)
      await vi.waitFor(() => expect(calls.some((c) => c.cmd === 'first_screen_rendered')).toBe(true), { timeout: 10000 })
      await settle()
      expect(said).toEqual([])
    } finally {
      warn.mockRestore()
      error.mockRestore()
    }
  })

  it('draws no option list before a select is opened, and the selects still name their choice', async () => {
    fakeBackend({ ...firstScreen })
    const wrapper = mountWith(App)
    await settle()
    // The header's and the toolbar's selects keep their (teleported) lists out of the page
    // until opened: the first screen mounts no popper, scrollbar or option.
    expect(document.querySelectorAll('.el-select-dropdown').length).toBe(0)
    expect(document.querySelectorAll('.el-select-dropdown__item').length).toBe(0)
    expect(wrapper.get('[data-test=year-select]').text()).toContain('2024年')
    expect(wrapper.get('[data-test=font-size]').text()).toContain('标准')
    expect(wrapper.get('[data-test=filter-order]').text()).toContain('按日期')
    // Opened, a select lists its options, and picking one filters the list.
    wrapper.get('[data-test=filter-month] .el-select__wrapper').trigger('click')
    await settle()
    const months = Array.from(document.querySelectorAll('.el-select-dropdown__item')).map((o) => o.textContent?.trim())
    expect(months).toHaveLength(12)
    expect(months[2]).toBe('3月')
  })

  it('renders member-typed text as text, never as markup', async () => {
    const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    fakeBackend({
      app_info: () => info,
      list_activities: (a) => pageOf([activity({ title: payload })], a),
      tally_year: () => tally(),
      list_members: () => members,
      list_studios: () => studios,
      review_counts: () => ({ draft: 0, submitted: 0, accepted: 2, returned: 0 }),
    })
    const wrapper = mountWith(App)
    await settle()
    const cell = wrapper.get('[data-test=row-title]')
    expect(cell.text()).toBe(payload)
    expect(cell.element.querySelector('img, script')).toBeNull()
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined()
  })

  it('asks for the list a page at a time and draws only the rows on screen', async () => {
    const all = Array.from({ length: 1000 }, (_, i) =>
      activity({ id: `id-${i}`, title: `活动${i + 1}`, date: '2024-05-12' }),
    )
    const calls = fakeBackend({
      app_info: () => info,
      list_activities: (a) => pageOf(all, a),
      tally_year: () => tally(),
      list_members: () => members,
      list_studios: () => studios,
      review_counts: () => ({ draft: 0, submitted: 0, accepted: 2, returned: 0 }),
    })
    const wrapper = mountWith(App)
    await settle()
    expect(wrapper.get('[data-test=record-count]').text()).toBe('共 1,000 条')
    const pages = calls
      .filter((c) => c.cmd === 'list_activities')
      .map((c) => c.args.filter as { offset?: number; limit?: number })
    expect(pages[0]).toMatchObject({ offset: 0, limit: 100 })
    expect(pages.every((p) => p.limit === 100)).toBe(true)
    const drawn = wrapper.findAll('[data-test=row-title]')
    expect(drawn.length).toBeGreaterThan(5)
    expect(drawn.length).toBeLessThan(60)
    expect(drawn[0].text()).toBe('活动1')
  })

  it('shows why the ledger could not be opened, and the backups to restore, instead of a blank window', async () => {
    const calls = fakeBackend({
      app_info: () => ({
        ...info,
        demo: false,
        open_error: { kind: 'corrupt', message: '台账文件已损坏，或不是履职台账的数据库文件（file is not a database）', field: null },
      }),
      list_backups: () => ({ folder: '/tmp/backups', keep: null, backups: [backupInfo()] }),
    })
    const wrapper = mountWith(App)
    await vi.waitFor(() => expect(wrapper.find('[data-test=backup-summary]').exists()).toBe(true), { timeout: 10000 })
    const box = wrapper.get('[data-test=open-error]')
    expect(box.get('[data-test=recovery-advice]').text()).toContain('台账文件已损坏')
    expect(box.text()).not.toContain('联系办公室')
    // The technical detail is there, folded away.
    expect(box.get('[data-test=error-details]').text()).toContain('file is not a database')
    expect(box.get('[data-test=error-details]').text()).toContain('/tmp/demo.db')
    expect(box.get('[data-test=error-details]').isVisible()).toBe(false)
    expect(box.get('[data-test=backup-summary]').text()).toContain('记录 105 条')
    await new Promise((resolve) => setTimeout(resolve, 100))
    // Nothing but what the screen needs, and the first-screen mark once it has painted
    // (windows mounted by earlier tests may send theirs into this backend too).
    const cmds = calls.map((c) => c.cmd)
    expect(cmds.filter((c) => c !== 'first_screen_rendered').sort()).toEqual(['app_info', 'list_backups'])
    expect(cmds).toContain('first_screen_rendered')
  })

  it('filters the list by text, month and order', async () => {
    const calls = fakeBackend({
      ...firstScreen,
    })
    const wrapper = mountWith(App)
    await settle()
    await wrapper.get('input[data-test=filter-text]').setValue('义诊')
    await new Promise((r) => setTimeout(r, 400))
    await settle()
    const lists = calls.filter((c) => c.cmd === 'list_activities')
    const last = lists[lists.length - 1].args.filter as Record<string, unknown>
    expect(last).toMatchObject({ year: 2024, text: '义诊', order: 'date' })
  })

  it('opens a new form with Ctrl+N', async () => {
    fakeBackend({
      app_info: () => info,
      list_activities: (a) => pageOf([], a),
      tally_year: () => tally(),
      list_members: () => members,
      list_studios: () => studios,
      review_counts: () => ({ draft: 0, submitted: 0, accepted: 2, returned: 0 }),
    })
    mountWith(App)
    await settle()
    expect(document.querySelector('input[data-test=field-title]')).toBeNull()
    // The form is its own chunk, not drawn (nor loaded) before it is first opened.
    expect(document.querySelector('[data-test=activity-form]')).toBeNull()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'n', ctrlKey: true }))
    await vi.waitFor(() => expect(document.querySelector('input[data-test=field-title]')).not.toBeNull(), { timeout: 10000 })
  })

  it('asks whose computer this is on first launch and saves the answer', async () => {
    const calls = fakeBackend({
      app_info: () => ({ ...info, demo: false, setup: null }),
      list_activities: (a) => pageOf([], a),
      tally_year: () => tally(),
      list_members: () => [],
      list_studios: () => [],
      set_device_setup: (a) => ({
        role: a.role,
        owner: { ...members[0], code: a.ownerCode, name: a.ownerName },
        committee: a.committee,
      }),
    })
    const wrapper = mountWith(App)
    await settle()
    expect(document.querySelector('[data-test=setup-dialog]')).not.toBeNull()
    const name = document.querySelector('input[data-test=setup-name]') as HTMLInputElement
    const code = document.querySelector('input[data-test=setup-code]') as HTMLInputElement
    name.value = '王强'
    name.dispatchEvent(new Event('input'))
    code.value = '15001'
    code.dispatchEvent(new Event('input'))
    ;(document.querySelector('[data-test=setup-save]') as HTMLElement).click()
    await settle()
    const set = calls.find((c) => c.cmd === 'set_device_setup')!
    expect(set.args).toEqual({ role: 'member', ownerCode: '15001', ownerName: '王强', committee: null })
    expect(wrapper.get('[data-test=open-setup]').text()).toContain('王强')
  })

  it('lets the office name its committee on first launch', async () => {
    const calls = fakeBackend({
      app_info: () => ({ ...info, demo: false, setup: null }),
      list_activities: (a) => pageOf([], a),
      tally_year: () => tally(),
      list_members: () => [],
      list_studios: () => [],
      set_device_setup: (a) => ({ role: a.role, owner: null, committee: a.committee }),
    })
    mountWith(App)
    await settle()
    expect(document.querySelector('input[data-test=setup-committee]')).toBeNull()
    ;(document.querySelector('[data-test=setup-office] input') as HTMLInputElement).click()
    await settle()
    const committee = document.querySelector('input[data-test=setup-committee]') as HTMLInputElement
    committee.value = ' 永康市政协 '
    committee.dispatchEvent(new Event('input'))
    ;(document.querySelector('[data-test=setup-save]') as HTMLElement).click()
    await settle()
    const set = calls.find((c) => c.cmd === 'set_device_setup')!
    expect(set.args).toEqual({ role: 'office', ownerCode: null, ownerName: null, committee: '永康市政协' })
  })

  it('loads the 导入名单 screen when it is first opened, and goes back to the records', async () => {
    fakeBackend({
      ...firstScreen,
    })
    const wrapper = mountWith(App)
    await settle()
    expect(wrapper.find('[data-test=import-view]').exists()).toBe(false)
    await wrapper.get('[data-test=view-import] input').setValue(true)
    // The screen is its own chunk: it shows once the import has resolved.
    await vi.waitFor(() => expect(wrapper.find('[data-test=import-view]').exists()).toBe(true), { timeout: 10000 })
    expect(wrapper.get('[data-test=pick-roster]').text()).toBe('选择名单文件')
    expect(wrapper.find('[data-test=activity-table]').exists()).toBe(false)
    await wrapper.get('[data-test=view-records] input').setValue(true)
    await settle()
    expect(wrapper.find('[data-test=import-view]').exists()).toBe(false)
    expect(wrapper.get('[data-test=record-count]').text()).toBe('共 1 条')
  })

  it('switches to English and back', async () => {
    fakeBackend({
      app_info: () => info,
      list_activities: (a) => pageOf([], a),
      tally_year: () => tally(),
      list_members: () => members,
      list_studios: () => studios,
      review_counts: () => ({ draft: 0, submitted: 0, accepted: 2, returned: 0 }),
    })
    const wrapper = mountWith(App)
    await settle()
    expect(wrapper.get('[data-test=add-activity]').text()).toBe('登记活动')
    await wrapper.get('[data-test=toggle-language]').trigger('click')
    expect(wrapper.get('[data-test=add-activity]').text()).toBe('Log activity')
    await wrapper.get('[data-test=toggle-language]').trigger('click')
    expect(wrapper.get('[data-test=add-activity]').text()).toBe('登记活动')
  })

  it('the office opens on what awaits review, says which year it opened on, and reviews ticked rows at once', async () => {
    const waiting = [
      activity({ id: 'a1', title: '义诊进社区', status: 'submitted', author_code: '15001' }),
      activity({ id: 'a2', title: '法律咨询', status: 'submitted', author_code: '15002' }),
    ]
    const calls = fakeBackend({
      app_info: () => info,
      list_activities: (a) => pageOf(waiting, a),
      tally_year: () => tally(),
      list_members: () => members,
      list_studios: () => studios,
      review_counts: () => ({ draft: 0, submitted: 2, accepted: 96, returned: 1 }),
      review_activities: (a) => (a.ids as string[]).length,
    })
    const wrapper = mountWith(App)
    await settle()
    await new Promise((r) => setTimeout(r, 300))
    const lists = calls.filter((c) => c.cmd === 'list_activities')
    expect((lists[0].args.filter as { statuses?: string[] }).statuses).toEqual(['submitted'])
    // The first screen set the filter itself: one listing, not two.
    expect(lists).toHaveLength(1)
    expect(wrapper.get('[data-test=summary-waiting]').text()).toBe('待审核 2 条')
    expect(wrapper.get('[data-test=summary-returned]').text()).toBe('已退回 1 条')
    expect(wrapper.get('[data-test=other-year]').text()).toContain('2026年还没有记录，先显示有记录的最近年度：2024年')

    const ticks = wrapper.findAll('[data-test=tick-row] input')
    expect(ticks).toHaveLength(2)
    await ticks[0].setValue(true)
    await ticks[1].setValue(true)
    expect(wrapper.get('[data-test=batch-bar]').text()).toContain('已勾选 2 条')
    await wrapper.get('[data-test=batch-accept]').trigger('click')
    await settle()
    const ok = Array.from(document.querySelectorAll('.el-message-box__btns button')).find((b) => b.textContent?.includes('通过')) as HTMLElement
    ok.click()
    await settle()
    const reviewed = calls.find((c) => c.cmd === 'review_activities')!
    expect(reviewed.args).toEqual({ ids: ['a1', 'a2'], status: 'accepted', comment: null })
    expect(wrapper.find('[data-test=batch-bar]').exists()).toBe(false)

    // 已退回 in the summary filters the list to returned records.
    await wrapper.get('[data-test=summary-returned]').trigger('click')
    await new Promise((r) => setTimeout(r, 300))
    const last = calls.filter((c) => c.cmd === 'list_activities').slice(-1)[0]
    expect((last.args.filter as { statuses?: string[] }).statuses).toEqual(['returned'])
  })

  it('a member laptop shows their own 档案 and not the office screens; Ctrl+ enlarges everything', async () => {
    const calls = fakeBackend({
      app_info: () => ({ ...info, setup: { role: 'member', owner: { code: '15001', name: '王强' }, committee: null } }),
      list_activities: (a) => pageOf([activity()], a),
      tally_year: () => tally(),
      list_members: () => members,
      list_studios: () => studios,
      set_zoom: (a) => a.scale,
      member_record: () => ({
        member: members[0],
        tally: tally({ paragraph: '2024年全年，参加和开展各类活动3次。' }),
        attended: 3,
        activities: [activity()],
        score: {
          year: 2024, member_code: '15001', name: '王强', sector: '医药卫生', active: true, total: 1250, rank_in_sector: 2,
          items: [{ position: 0, item: '工作室活动', basis: 'activity:studio_activity', count: 12, raw: 2400, points: 1250, capped: true, facts: [] }],
        },
      }),
    })
    const wrapper = mountWith(App)
    await settle()
    expect(wrapper.find('[data-test=view-stats]').exists()).toBe(false)
    expect(wrapper.find('[data-test=view-import]').exists()).toBe(false)
    expect(wrapper.find('[data-test=view-roster]').exists()).toBe(false)
    expect(calls.some((c) => c.cmd === 'review_counts')).toBe(false)
    await wrapper.get('[data-test=view-mine] input').setValue(true)
    await vi.waitFor(() => expect(wrapper.find('[data-test=mine-paragraph]').exists()).toBe(true), { timeout: 10000 })
    expect(wrapper.get('[data-test=mine-paragraph]').text()).toBe('2024年全年，参加和开展各类活动3次。')
    expect(calls.find((c) => c.cmd === 'member_record')?.args.code).toBe('15001')
    // The office's score, read-only, with the cap said.
    expect(wrapper.get('[data-test=mine-score] h3').text()).toBe('履职积分：12.5 分')
    expect(wrapper.get('[data-test=mine-score-items]').text()).toContain('合计 24 分，按上限计')
    expect(wrapper.find('[data-test=score-save-rules]').exists()).toBe(false)

    window.dispatchEvent(new KeyboardEvent('keydown', { key: '=', ctrlKey: true }))
    await settle()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '=', ctrlKey: true }))
    await settle()
    const zooms = calls.filter((c) => c.cmd === 'set_zoom').map((c) => c.args.scale)
    expect(zooms).toEqual([1.1, 1.2])
    expect(localStorage.getItem('lvzhi.zoom')).toBe('1.2')
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '0', ctrlKey: true }))
    await settle()
    expect(calls.filter((c) => c.cmd === 'set_zoom').slice(-1)[0].args.scale).toBe(1)
  })
})
