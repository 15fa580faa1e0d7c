/** The 数据交换 screen against a fake backend: a member's export, the office's preview, merge and conflicts. */
import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks } from '@tauri-apps/api/mocks'
import ExchangeView from '../components/ExchangeView.vue'
import { activity, fakeBackend, members, mountWith, settle } from './helpers'
import type { ExchangeOverview, MergeReport, PackagePick } from '../ipc'

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
  localStorage.clear()
})

const FP = '3F2A 9C1B 77D0 E41A 5B6C'

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
      current: activity({ id: 'b', title: '义诊', people_served: 12 }),
      incoming: activity({ id: 'b', title: '义诊', people_served: 20 }),
    }],
    quarantined: [],
    corrected: [{ current: activity({ id: 'c', title: '座谈会', people_served: 12 }), original: activity({ id: 'c', title: '座谈会', people_served: 10 }) }],
    keys: [{ member_code: '15001', public_key: 'ab', fingerprint: FP, first_seen: '2024-07-01T08:00:00Z', trusted_at: null }],
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
    expect(wrapper.get('[data-test=package-counts]').text()).toBe('新增 1，更新 0，未变 1，冲突 1，隔离 0')
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

  it('resolves a conflict the way the secretary chooses', async () => {
    const calls = fakeBackend({
      exchange_overview: () => overview(),
      resolve_conflict: () => activity({ id: 'b' }),
    })
    const wrapper = mountWith(ExchangeView, { role: 'office', year: 2024, members })
    await settle()
    const table = wrapper.get('[data-test=conflicts]')
    expect(table.text()).toContain('办公室修订后')
    expect(table.text()).toContain('义诊（12）')
    expect(table.text()).toContain('义诊（20）')
    await wrapper.get('[data-test=take-member]').trigger('click')
    await settle()
    expect(calls.find((c) => c.cmd === 'resolve_conflict')?.args).toEqual({ id: 7, takeMember: true })
    // The office's corrections stay beside the member's originals.
    const corrected = wrapper.get('[data-test=corrected]')
    expect(corrected.text()).toContain('座谈会（12）')
    expect(corrected.text()).toContain('座谈会（10）')
  })
})
