/** The screen shown when the ledger cannot be opened, against a fake backend: advice in neutral words, the ways out, and a restore that brings the window back. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { clearMocks } from '@tauri-apps/api/mocks'
import App from '../App.vue'
import { activity, backupInfo, fakeBackend, members, mountWith, pageOf, settle, studios, tally } from './helpers'
import type { AppInfo, ErrorReport } from '../ipc'

afterEach(() => {
  clearMocks()
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
  localStorage.clear()
})

const broken = (open_error: ErrorReport): AppInfo => ({
  db_path: '/home/王强/.local/share/cn.lvzhi.ledger/lvzhi.db',
  demo: false,
  device_id: null,
  version: '0.1.0',
  default_year: 2024,
  current_year: 2026,
  open_error,
  backup_warning: null,
  setup: null,
})

const corrupt = broken({ kind: 'corrupt', message: '台账文件已损坏，或不是履职台账的数据库文件（file is not a database）', field: null })

describe('the recovery screen', () => {
  it('never sends the office to the office: the advice is the same on any laptop', async () => {
    for (const kind of ['corrupt', 'newer_schema', 'locked', 'disk_full', 'read_only', 'database', 'io'] as const) {
      fakeBackend({
        app_info: () => broken({ kind, message: 'x', field: null }),
        list_backups: () => ({ folder: null, keep: null, backups: [] }),
      })
      const wrapper = mountWith(App)
      await vi.waitFor(() => expect(wrapper.find('[data-test=recovery-advice]').exists()).toBe(true), { timeout: 10000 })
      const advice = wrapper.get('[data-test=recovery-advice]').text()
      expect(advice.length, kind).toBeGreaterThan(10)
      expect(wrapper.get('[data-test=open-error]').text(), kind).not.toMatch(/联系办公室|请办公室/)
      wrapper.unmount()
      document.body.innerHTML = ''
    }
  })

  it('opens the folder, opens another ledger file, and copies the details', async () => {
    const writeText = vi.fn(() => Promise.resolve())
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const calls = fakeBackend({
      app_info: () => corrupt,
      list_backups: () => ({ folder: '/home/王强/.local/share/cn.lvzhi.ledger/backups', keep: null, backups: [] }),
      open_ledger_folder: () => null,
      open_other_ledger: () => false,
    })
    const wrapper = mountWith(App)
    await vi.waitFor(() => expect(wrapper.find('[data-test=open-folder]').exists()).toBe(true), { timeout: 10000 })
    await wrapper.get('[data-test=open-folder]').trigger('click')
    await wrapper.get('[data-test=open-other-ledger]').trigger('click')
    await wrapper.get('[data-test=copy-details]').trigger('click')
    await settle()
    const cmds = calls.map((c) => c.cmd)
    expect(cmds).toContain('open_ledger_folder')
    expect(cmds).toContain('open_other_ledger')
    expect(writeText).toHaveBeenCalledTimes(1)
    const copied = (writeText.mock.calls[0] as unknown as [string])[0]
    expect(copied).toContain('file is not a database')
    expect(copied).toContain('/home/王强/.local/share/cn.lvzhi.ledger/lvzhi.db')
    expect(copied).toContain('0.1.0')
    expect(document.body.textContent).toContain('详细信息已复制')
  })

  it('unfolds the details to copy by hand when the clipboard cannot be used', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText: () => Promise.reject(new Error('denied')) } })
    fakeBackend({
      app_info: () => corrupt,
      list_backups: () => ({ folder: null, keep: null, backups: [] }),
    })
    const wrapper = mountWith(App)
    await vi.waitFor(() => expect(wrapper.find('[data-test=copy-details]').exists()).toBe(true), { timeout: 10000 })
    await wrapper.get('[data-test=copy-details]').trigger('click')
    await settle()
    expect(document.body.textContent).toContain('请在“技术详情”中选中文字后复制')
    expect(wrapper.get('[data-test=error-details]').isVisible()).toBe(true)
  })

  it('restores a backup from the list and then shows the restored ledger', async () => {
    let restored = false
    const calls = fakeBackend({
      app_info: () => (restored ? { ...corrupt, open_error: null, device_id: 'dev', setup: { role: 'office', owner: null, committee: null } } : corrupt),
      list_backups: () => ({ folder: '/data/backups', keep: null, backups: [backupInfo()] }),
      restore_backup: () => {
        restored = true
        return { restored: backupInfo().path, preview: backupInfo().preview!, saved_current: '/data/backups/saved.db' }
      },
      list_activities: (a) => pageOf([activity()], a),
      tally_year: () => tally(),
      list_members: () => members,
      list_studios: () => studios,
    })
    const wrapper = mountWith(App)
    await vi.waitFor(() => expect(wrapper.find('[data-test=restore-backup]').exists()).toBe(true), { timeout: 10000 })
    await wrapper.get('[data-test=restore-backup]').trigger('click')
    await settle()
    ;(document.querySelector('[data-test=confirm-restore]') as HTMLElement).click()
    await settle()
    await settle()
    expect(calls.find((c) => c.cmd === 'restore_backup')!.args).toEqual({ fileName: backupInfo().file_name })
    expect(wrapper.find('[data-test=open-error]').exists()).toBe(false)
    expect(wrapper.get('[data-test=record-count]').text()).toBe('共 1 条')
    expect(calls.filter((c) => c.cmd === 'app_info')).toHaveLength(2)
  })
})
