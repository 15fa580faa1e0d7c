/** 备份与恢复 against a fake backend: the list with what each backup holds, backing up now, the kept count, and restoring after a confirmation that shows the preview. */
import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks } from '@tauri-apps/api/mocks'
import BackupView from '../components/BackupView.vue'
import { backupInfo, fakeBackend, mountWith, settle } from './helpers'
import type { BackupList, RestoreOutcome } from '../ipc'

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
  localStorage.clear()
})

const broken = backupInfo({
  file_name: 'lvzhi.backup-20240511-080000-000-restore.db',
  time: '2024-05-11T08:00:00.000',
  reason: 'restore',
  preview: null,
  problem: '无法读取备份文件 lvzhi.backup-20240511-080000-000-restore.db：台账文件已损坏',
})

function listing(): BackupList {
  return { folder: '/data/backups', keep: 10, backups: [backupInfo(), broken] }
}

const outcome: RestoreOutcome = {
  restored: backupInfo().path,
  preview: backupInfo().preview!,
  saved_current: '/data/backups/lvzhi.backup-20240512-100000-000-restore.db',
}

function dialog(): HTMLElement {
  return document.querySelector('[data-test=restore-dialog]') as HTMLElement
}

function button(selector: string): HTMLElement {
  return document.querySelector(selector) as HTMLElement
}

describe('BackupView', () => {
  it('lists the backups with when, why and what each holds', async () => {
    fakeBackend({ list_backups: () => listing() })
    const wrapper = mountWith(BackupView)
    await settle()
    expect(wrapper.get('[data-test=backup-folder]').text()).toContain('/data/backups')
    expect(wrapper.get('[data-test=backup-time]').text()).toBe('2024年5月12日 09:30:05')
    expect(wrapper.get('[data-test=backup-table]').text()).toContain('每日自动备份')
    expect(wrapper.get('[data-test=backup-table]').text()).toContain('1.5 MB')
    expect(wrapper.get('[data-test=backup-summary]').text()).toBe('委员 70 人，记录 105 条（2024年 98 条，2023年 7 条）')
    expect(wrapper.get('[data-test=backup-problem]').text()).toContain('台账文件已损坏')
    const buttons = wrapper.findAll('[data-test=restore-backup]')
    expect(buttons[0].attributes('disabled')).toBeUndefined()
    expect(buttons[1].attributes('disabled')).toBeDefined()
    expect((wrapper.get('[data-test=backup-keep] input').element as HTMLInputElement).value).toBe('10')
  })

  it('restores a backup only after a confirmation that shows what it holds', async () => {
    let listed = 0
    const calls = fakeBackend({
      list_backups: () => {
        listed++
        return listing()
      },
      restore_backup: () => outcome,
    })
    const wrapper = mountWith(BackupView)
    await settle()
    await wrapper.findAll('[data-test=restore-backup]')[0].trigger('click')
    await settle()
    expect(dialog().textContent).toContain('当前台账将被这份备份替换')
    expect(dialog().textContent).toContain('2024年5月12日 09:30:05（每日自动备份）')
    expect(dialog().querySelector('[data-test=restore-members]')!.textContent).toBe('70 人')
    expect(dialog().querySelector('[data-test=restore-years]')!.textContent).toContain('2023')
    expect(calls.some((c) => c.cmd === 'restore_backup')).toBe(false)
    button('[data-test=confirm-restore]').click()
    await settle()
    const restore = calls.find((c) => c.cmd === 'restore_backup')!
    expect(restore.args).toEqual({ fileName: 'lvzhi.backup-20240512-093005-123-daily.db' })
    expect(wrapper.emitted('restored')).toEqual([[outcome]])
    expect(document.body.textContent).toContain('恢复前的台账已备份到：/data/backups/lvzhi.backup-20240512-100000-000-restore.db')
    expect(listed).toBe(2)
  })

  it('restores nothing when the confirmation is cancelled', async () => {
    const calls = fakeBackend({ list_backups: () => listing() })
    const wrapper = mountWith(BackupView)
    await settle()
    await wrapper.findAll('[data-test=restore-backup]')[0].trigger('click')
    await settle()
    const cancel = Array.from(dialog().querySelectorAll('button')).find((b) => b.textContent?.includes('取消'))!
    cancel.click()
    await settle()
    expect(calls.map((c) => c.cmd)).toEqual(['list_backups'])
    expect(wrapper.emitted('restored')).toBeUndefined()
  })

  it('says why a restore failed and leaves the window as it was', async () => {
    fakeBackend({
      list_backups: () => listing(),
      restore_backup: () => {
        throw { kind: 'locked', message: '台账文件正被其他程序或另一项操作占用，请稍后再试', field: null }
      },
    })
    const wrapper = mountWith(BackupView)
    await settle()
    await wrapper.findAll('[data-test=restore-backup]')[0].trigger('click')
    await settle()
    button('[data-test=confirm-restore]').click()
    await settle()
    const errors = wrapper.emitted('error') as unknown[][]
    expect((errors[0][0] as { kind: string }).kind).toBe('locked')
    expect(wrapper.emitted('restored')).toBeUndefined()
  })

  it('restores a file picked in the open dialog through the same confirmation', async () => {
    const calls = fakeBackend({
      list_backups: () => listing(),
      pick_restore_file: () => ({ file_name: '我的备份.db', path: '/media/u盘/我的备份.db', preview: { ...backupInfo().preview!, older: true } }),
      restore_picked: () => outcome,
    })
    const wrapper = mountWith(BackupView)
    await settle()
    await wrapper.get('[data-test=restore-from-file]').trigger('click')
    await settle()
    expect(dialog().textContent).toContain('/media/u盘/我的备份.db')
    expect(dialog().textContent).toContain('恢复后打开时会自动升级数据结构')
    button('[data-test=confirm-restore]').click()
    await settle()
    expect(calls.map((c) => c.cmd)).toContain('restore_picked')
    expect(wrapper.emitted('restored')).toHaveLength(1)
  })

  it('backs up now into a folder the backend asks for, and sets how many are kept', async () => {
    let answer: string | null = null
    const calls = fakeBackend({
      list_backups: () => listing(),
      backup_now: () => answer,
      set_backup_keep: (a) => a.keep,
    })
    const wrapper = mountWith(BackupView)
    await settle()
    await wrapper.get('[data-test=backup-now]').trigger('click')
    await settle()
    expect(document.body.textContent).not.toContain('已备份到')
    answer = '/home/王强/备份/lvzhi.backup-20240512-100000-000-manual.db'
    await wrapper.get('[data-test=backup-now]').trigger('click')
    await settle()
    expect(document.body.textContent).toContain(`已备份到：${answer}`)
    const keep = wrapper.get('[data-test=backup-keep] input')
    await keep.setValue('20')
    await keep.trigger('change')
    await settle()
    expect(calls.find((c) => c.cmd === 'set_backup_keep')!.args).toEqual({ keep: 20 })
    expect(document.body.textContent).toContain('自动备份保留最近 20 份')
  })
})
