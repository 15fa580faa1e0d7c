/**
 * The 数据交换 screen against a fake backend: a member's export, the office's preview and
 * merge, conflicts field by field, the records waiting (待处理的记录) discarded and retried,
 * and 换电脑.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks } from '@tauri-apps/api/mocks'
import ExchangeView from '../components/ExchangeView.vue'
import { activity, fakeBackend, members, mountWith, settle } from './helpers'
import { setLocale } from '../i18n'
import type { ExchangeOverview, MergeReport, PackagePick, Quarantined } from '../ipc'

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
  localStorage.clear()
})

const FP = '3F2A 9C1B 77D0 E41A 5B6C'
const NEW_FP = '9D41 07C2 BB3E 1F60 A2D8'

/** A record that failed its checks, as the backend describes it. */
function waitingRecord(): Quarantined {
  return {
    id: 11, package_sha256: 'p1', problem: 'record', member_code: '15001', member_name: '王强',
    record_id: '0190a000-0000-7000-8000-00000000000b', title: '<script>alert(1)</script>调研', date: '2024-05-13',
    record_count: null, from: null, to: null, package_fingerprint: null, can_retry: false,
    reason: '名单中没有这些委员编号：99999', created_at: '2024-07-01T08:00:00Z',
  }
}

/** A whole package from another computer, kept for a retry. */
function waitingPackage(): Quarantined {
  return {
    id: 12, package_sha256: 'p2', problem: 'key_changed', member_code: '15001', member_name: '王强',
    record_id: null, title: null, date: null, record_count: 3, from: '2024-01-01', to: '2024-12-31',
    package_fingerprint: NEW_FP, can_retry: true,
    reason: '这个数据包来自另一台电脑', created_at: '2024-07-02T08:00:00Z',
  }
}

/** A button of the confirmation box opened last (an earlier one may still be fading out), by its text. */
function messageBoxButton(text: string): HTMLElement {
  const found = Array.from(document.querySelectorAll('.el-message-box__btns button')).reverse().find((b) => b.textContent?.includes(text))
  if (!found) throw new Error(`no “${text}” button in ${document.querySelector('.el-message-box')?.textContent}`)
  return found as HTMLElement
}

function report(overrides: Partial<MergeReport> = {}): MergeReport {
  return {
    manifest: {
      format: 1, kind: 'member_records', member_code: '15001', member_name: '王强', device_id: 'dev',
      public_key: 'ab', sequence: 3, created_at: '2024-07-01T08:00:00Z', from: null, to: null,
      record_count: 3, body_len: 10, body_sha256: 'x',
    },
    package_sha256: 'p', fingerprint: FP, key: 'new', already_imported: false, refused: null,
    new: 1, updated: 0, unchanged: 1, conflicts: 1, rejected: 0,
    items: [
      { id: 'a', title: '义诊进社区', date: '2024-05-12', deleted: false, outcome: 'new', reason: null },
      { id: 'b', title: '<img src=x onerror="window.__pwned=1">', date: '2024-05-13', deleted: false, outcome: 'conflict', reason: '版本相同（第 1 版）但内容不同' },
      { id: 'c', title: '座谈', date: '2024-05-14', deleted: false, outcome: 'unchanged', reason: null },
    ],
    ...overrides,
  }
}

function overview(): ExchangeOverview {
  return {
    fingerprint: 'AAAA BBBB CCCC DDDD EEEE',
    conflicts: [{
      conflict: { id: 7, activity_id: 'b', incoming: '{}', reason: '办公室修订后，委员又修改了此记录', created_at: '2024-07-01T08:00:00Z', resolution: null },
      current: activity({ id: 'b', title: '义诊', people_served: 12, author_code: '15001', notes: null }),
      incoming: activity({ id: 'b', title: '义诊', people_served: 20, author_code: '15001', notes: '<b onmouseover="window.__pwned=1">补充</b>' }),
      differing: ['people_served', 'notes'],
    }],
    quarantined: [],
    corrected: [{ current: activity({ id: 'c', title: '座谈会', people_served: 12 }), original: activity({ id: 'c', title: '座谈会', people_served: 10 }) }],
    keys: [{ member_code: '15001', public_key: 'ab', fingerprint: FP, first_seen: '2024-07-01T08:00:00Z', trusted_at: null }],
    carry_back: [],
    log: [],
  }
}

describe('ExchangeView', () => {
  it('lets a member export the year for the office and shows the key fingerprint', async () => {
    const calls = fakeBackend({
      key_fingerprint: () => FP,
      export_member_package: () => '/home/王强/王强-2024-0701.lvzhi',
    })
    const wrapper = mountWith(ExchangeView, { role: 'member', year: 2024, members })
    await settle()
    expect(wrapper.get('[data-test=own-fingerprint]').text()).toBe(FP)
    await wrapper.get('[data-test=export-package]').trigger('click')
    await settle()
    expect(calls.find((c) => c.cmd === 'export_member_package')?.args).toEqual({ year: 2024 })
    expect(document.body.textContent).toContain('已保存：/home/王强/王强-2024-0701.lvzhi')
  })

  it('tells a member on a new laptop that the office brought their records back', async () => {
    fakeBackend({
      key_fingerprint: () => FP,
      import_roster_package: () => ({
        office_fingerprint: 'AAAA', key_recorded: true, members: 3, studios: 1, sectors: 2, reviews_applied: 2,
        records_restored: 2, records_unclaimed: 0,
      }),
    })
    const wrapper = mountWith(ExchangeView, { role: 'member', year: 2024, members })
    await settle()
    await wrapper.get('[data-test=import-roster-package]').trigger('click')
    await settle()
    expect(document.body.textContent).toContain('审核结果 2 条。办公室带回您已通过的记录 2 条')
    expect(wrapper.emitted('changed')).toBeTruthy()
  })

  it('previews a package with its counts and the new key, then merges it', async () => {
    const pick: PackagePick = { file_name: '王强-2024-07.lvzhi', report: report() }
    const calls = fakeBackend({
      exchange_overview: () => overview(),
      pick_package: () => pick,
      apply_package: () => report(),
    })
    const wrapper = mountWith(ExchangeView, { role: 'office', year: 2024, members })
    await settle()
    await wrapper.get('[data-test=pick-package]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test=package-counts]').text()).toBe('新增 1，更新 0，未变 1，冲突 1，待处理 0')
    expect(wrapper.get('[data-test=package-new-key]').text()).toContain(FP)
    // The conflict comes first, and a member-typed title stays text.
    const rows = wrapper.findAll('[data-test=package-items] tbody tr')
    expect(rows[0].text()).toContain('冲突')
    expect(rows[0].text()).toContain('<img src=x')
    expect(document.querySelector('[data-test=package-items] img')).toBeNull()
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined()
    await wrapper.get('[data-test=apply-package]').trigger('click')
    await settle()
    expect(calls.some((c) => c.cmd === 'apply_package')).toBe(true)
    expect(wrapper.emitted('changed')).toBeTruthy()
    expect(wrapper.find('[data-test=package-preview]').exists()).toBe(false)
  })

  it('will not merge a package refused whole, and says why', async () => {
    const refused = report({ key: 'mismatch', refused: '签名密钥与办公室登记的该委员密钥不同', new: 0, conflicts: 0, unchanged: 0, items: [] })
    fakeBackend({
      exchange_overview: () => overview(),
      pick_package: () => ({ file_name: 'x.lvzhi', report: refused }),
    })
    const wrapper = mountWith(ExchangeView, { role: 'office', year: 2024, members })
    await settle()
    await wrapper.get('[data-test=pick-package]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test=package-refused]').text()).toContain('密钥不同')
    expect(wrapper.get('[data-test=apply-package]').attributes('disabled')).toBeDefined()
  })

  it('shows a conflict field by field, marks what differs, and resolves it the way the secretary chooses', async () => {
    const calls = fakeBackend({
      exchange_overview: () => overview(),
      resolve_conflict: () => activity({ id: 'b' }),
    })
    const wrapper = mountWith(ExchangeView, { role: 'office', year: 2024, members })
    await settle()
    const conflict = wrapper.get('[data-test=conflict]')
    expect(conflict.get('[data-test=conflict-title]').text()).toBe('王强（15001） · 2024年5月12日 · 义诊')
    expect(conflict.text()).toContain('办公室修订后')
    expect(conflict.text()).toContain('2 处不同')
    const row = (field: string) => conflict.get(`[data-test=diff-row][data-field=${field}]`)
    // The differing fields are marked, with both values side by side.
    expect(row('people_served').attributes('data-differs')).toBe('yes')
    expect(row('people_served').get('[data-test=office-value]').text()).toBe('12')
    expect(row('people_served').get('[data-test=member-value]').text()).toBe('20')
    expect(row('people_served').find('[data-test=differs-mark]').text()).toBe('不同')
    expect(row('people_served').get('th').text()).toContain('服务群众（人次）')
    // A field the member left as it was is shown, not marked.
    expect(row('title').attributes('data-differs')).toBe('no')
    expect(row('title').find('[data-test=differs-mark]').exists()).toBe(false)
    expect(row('category').get('[data-test=office-value]').text()).toBe('工作室活动')
    expect(row('participants').get('[data-test=member-value]').text()).toBe('王强（15001）、李梅（15002）')
    expect(row('services').get('[data-test=office-value]').text()).toBe('义诊 180 次')
    // Empty on the office's side, and the member's text stays text.
    expect(row('notes').get('[data-test=office-value]').text()).toBe('')
    expect(row('notes').get('[data-test=member-value]').text()).toContain('<b onmouseover')
    expect(document.querySelector('[data-test=conflict-diff] b')).toBeNull()
    // Fields both versions leave empty are left out.
    expect(conflict.find('[data-test=diff-row][data-field=funds]').exists()).toBe(false)
    expect(conflict.findAll('[data-test=differs-mark]')).toHaveLength(2)

    await wrapper.get('[data-test=take-member]').trigger('click')
    await settle()
    expect(calls.find((c) => c.cmd === 'resolve_conflict')?.args).toEqual({ id: 7, takeMember: true })
    // The office's corrections stay beside the member's originals.
    const corrected = wrapper.get('[data-test=corrected]')
    expect(corrected.text()).toContain('座谈会（12）')
    expect(corrected.text()).toContain('座谈会（10）')
  })

  it('names the conflict fields in English too', async () => {
    fakeBackend({ exchange_overview: () => overview() })
    const wrapper = mountWith(ExchangeView, { role: 'office', year: 2024, members })
    setLocale('en')
    await settle()
    const row = wrapper.get('[data-test=diff-row][data-field=people_served]')
    expect(row.get('th').text()).toContain('People served')
    expect(row.get('th').text()).toContain('Differs')
    expect(wrapper.get('[data-test=conflict-diff] thead').text()).toContain('Member\'s version')
    setLocale('zh-CN')
  })

  it('lists what waits by member, date and title in plain words, and discards one after a confirmation', async () => {
    const calls = fakeBackend({
      exchange_overview: () => ({ ...overview(), quarantined: [waitingRecord(), waitingPackage()] }),
      discard_quarantined: () => null,
    })
    const wrapper = mountWith(ExchangeView, { role: 'office', year: 2024, members })
    await settle()
    expect(wrapper.get('[data-test=tab-quarantine]').text()).toBe('待处理的记录（2）')
    expect(wrapper.text()).not.toContain('隔离')
    const rows = wrapper.findAll('[data-test=quarantine] tbody tr')
    expect(rows).toHaveLength(2)
    expect(rows[0].text()).toContain('王强（15001）')
    expect(rows[0].text()).toContain('2024年5月13日')
    expect(rows[0].get('[data-test=quarantine-what]').text()).toBe('<script>alert(1)</script>调研')
    expect(rows[0].get('[data-test=quarantine-problem]').text()).toBe('记录有问题')
    expect(rows[0].text()).not.toContain('0190a000')
    expect(document.querySelector('[data-test=quarantine] script')).toBeNull()
    // A single record cannot be retried; a whole package kept can.
    expect(rows[0].find('[data-test=retry-quarantined]').exists()).toBe(false)
    expect(rows[1].get('[data-test=quarantine-what]').text()).toBe('整个数据包：3 条记录（2024年1月1日 至 2024年12月31日）')
    expect(rows[1].get('[data-test=quarantine-problem]').text()).toBe('电脑变了')
    expect(rows[1].get('[data-test=quarantine-why]').text()).toBe(`来自另一台电脑，电脑标识 ${NEW_FP}；办公室登记的是 ${FP}`)
    expect(rows[1].find('[data-test=retry-quarantined]').exists()).toBe(true)

    // Cancelled: nothing happens.
    await rows[0].get('[data-test=discard-quarantined]').trigger('click')
    await settle()
    expect(document.body.textContent).toContain('放弃“2024年5月13日 <script>alert(1)</script>调研”吗？')
    messageBoxButton('取消').click()
    await settle()
    expect(calls.some((c) => c.cmd === 'discard_quarantined')).toBe(false)
    // Confirmed: discarded, and the list is read again.
    const before = calls.filter((c) => c.cmd === 'exchange_overview').length
    await rows[0].get('[data-test=discard-quarantined]').trigger('click')
    await settle()
    messageBoxButton('放弃').click()
    await settle()
    expect(calls.find((c) => c.cmd === 'discard_quarantined')?.args).toEqual({ id: 11 })
    expect(calls.filter((c) => c.cmd === 'exchange_overview').length).toBe(before + 1)
  })

  it('retries a package from another computer as the member\'s new one after the secretary confirms', async () => {
    const calls = fakeBackend({
      exchange_overview: () => ({ ...overview(), quarantined: [waitingPackage()] }),
      retry_quarantined: () => report({ new: 3, unchanged: 0, conflicts: 0 }),
    })
    const wrapper = mountWith(ExchangeView, { role: 'office', year: 2024, members })
    await settle()
    await wrapper.get('[data-test=retry-quarantined]').trigger('click')
    await settle()
    // The confirmation names both computers' IDs, and says what 换电脑 does.
    expect(document.body.textContent).toContain(`登记的电脑标识是 ${FP}，这个数据包来自 ${NEW_FP}`)
    expect(document.body.textContent).toContain('名单包会带回他已通过的记录')
    messageBoxButton('是换了电脑，合并').click()
    await settle()
    expect(calls.find((c) => c.cmd === 'retry_quarantined')?.args).toEqual({ id: 12, newLaptop: true })
    expect(document.body.textContent).toContain('已合并：新增 3')
    expect(wrapper.emitted('changed')).toBeTruthy()
  })

  it('retries at once when the old computer ID is already cleared', async () => {
    const calls = fakeBackend({
      exchange_overview: () => ({ ...overview(), keys: [], quarantined: [waitingPackage()] }),
      retry_quarantined: () => report({ new: 3 }),
    })
    const wrapper = mountWith(ExchangeView, { role: 'office', year: 2024, members })
    await settle()
    await wrapper.get('[data-test=retry-quarantined]').trigger('click')
    await settle()
    expect(calls.find((c) => c.cmd === 'retry_quarantined')?.args).toEqual({ id: 12, newLaptop: false })
  })

  it('records 换电脑 for a member after a confirmation, and shows the records waiting to go back', async () => {
    let changed = false
    const calls = fakeBackend({
      exchange_overview: () => ({
        ...overview(),
        keys: changed ? [] : overview().keys,
        carry_back: changed ? [{ member_code: '15001', member_name: '王强', marked_at: '2024-07-02T08:00:00Z', since_sequence: 4, records: 2 }] : [],
      }),
      change_laptop: () => {
        changed = true
        return { member_code: '15001', member_name: '王强', marked_at: '2024-07-02T08:00:00Z', since_sequence: 4, records: 2 }
      },
    })
    const wrapper = mountWith(ExchangeView, { role: 'office', year: 2024, members })
    await settle()
    expect(wrapper.get('[data-test=tab-keys]').text()).toBe('电脑标识')
    await wrapper.get('[data-test=change-laptop]').trigger('click')
    await settle()
    expect(document.body.textContent).toContain('为王强（15001）办理换电脑')
    expect(document.body.textContent).toContain(`将清除登记的电脑标识 ${FP}`)
    messageBoxButton('办理换电脑').click()
    await settle()
    expect(calls.find((c) => c.cmd === 'change_laptop')?.args).toEqual({ code: '15001' })
    expect(document.body.textContent).toContain('名单包会带回他已通过的记录 2 条')
    expect(wrapper.get('[data-test=carry-back]').text()).toContain('王强（15001）：名单包带回已通过的记录 2 条')
    expect(wrapper.find('[data-test=change-laptop]').exists()).toBe(false)
  })
})
