/** The roster import screen against a fake backend: preview counts, problems, apply. */
import { afterEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { clearMocks } from '@tauri-apps/api/mocks'
import ImportView from '../components/ImportView.vue'
import { i18n, setLocale } from '../i18n'
import { fakeBackend, settle } from './helpers'
import type { ImportMode, RosterPick } from '../ipc'

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
  localStorage.clear()
})

function pick(rejected: number, leaving: string[] = ['李梅（15002）'], mode: ImportMode = 'full'): RosterPick {
  return {
    file_name: '名单.xlsx',
    preview: {
      format: 'xlsx', sheet_name: '委员名单', header_row: 2, columns: [], unknown_columns: ['爱好'],
      rows_read: 3, new: 2 - rejected, changed: 1, unchanged: 0, rejected,
      rows: [], skipped: [{ row: 6, reason: '合计行' }],
      problems: rejected ? [{ row: 5, column: 'H', header: '手机', reason: '电话号码被 Excel 存成了数字' }] : [],
      new_sectors: ['医药卫生'], unknown_studios: [], to_deactivate: mode === 'full' ? leaving : [],
      mode, deactivation_needs_confirmation: mode === 'full' && leaving.length > 5,
    },
  }
}

function mountImport() {
  setLocale('zh-CN')
  return mount(ImportView, {
    attachTo: document.body,
    global: { plugins: [ElementPlus, i18n], stubs: { transition: false, 'transition-group': false } },
  })
}

describe('ImportView', () => {
  it('shows the preview counts and blocks the import while a row has a problem', async () => {
    fakeBackend({ pick_roster: () => pick(1) })
    const wrapper = mountImport()
    await wrapper.get('[data-test=pick-roster]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test=import-counts]').text()).toBe('读取 3 行：新增 1，变更 1，未变 0，有问题 1')
    expect(wrapper.get('[data-test=problem-reason]').text()).toContain('存成了数字')
    expect(wrapper.get('[data-test=apply-roster]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-test=new-sectors]').text()).toContain('医药卫生')
  })

  it('imports a clean roster after confirmation and says what it did', async () => {
    const calls = fakeBackend({
      pick_roster: () => pick(0),
      apply_roster: () => ({ created: 2, updated: 1, unchanged: 0, deactivated: 1, sectors_added: 1, studio_links: 0, backup: '/tmp/x.before-import.db' }),
    })
    const wrapper = mountImport()
    await wrapper.get('[data-test=pick-roster]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test=apply-roster]').attributes('disabled')).toBeUndefined()
    await wrapper.get('[data-test=apply-roster]').trigger('click')
    await settle()
    const confirm = Array.from(document.querySelectorAll('.el-message-box__btns button')).find((b) => b.textContent?.includes('导入')) as HTMLElement
    confirm.click()
    await settle()
    expect(calls.map((c) => c.cmd)).toEqual(['pick_roster', 'apply_roster'])
    expect(calls[1].args).toEqual({ choice: { mode: 'full', confirmed_deactivations: null } })
    expect(wrapper.emitted('imported')).toHaveLength(1)
  })
})

describe('ImportView modes', () => {
  const many = Array.from({ length: 69 }, (_, i) => `委员${i + 1}（${15100 + i}）`)

  it('a 全量 import deactivating many asks for the count, lists every name, and passes the count', async () => {
    const calls = fakeBackend({
      pick_roster: (a) => pick(0, many, a.mode as ImportMode),
      apply_roster: () => ({ created: 2, updated: 1, unchanged: 0, deactivated: 69, sectors_added: 0, studio_links: 0, backup: null }),
    })
    const wrapper = mountImport()
    await wrapper.get('[data-test=pick-roster]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test=deactivate-note]').text()).toContain('将标为停用（不删除）的 69 人')
    expect(wrapper.findAll('[data-test=deactivate-list] li')).toHaveLength(69)
    await wrapper.get('[data-test=apply-roster]').trigger('click')
    await settle()
    const dialog = document.querySelector('[data-test=deactivate-confirm]') as HTMLElement
    expect(dialog.textContent).toContain('将停用 69 位委员')
    expect(dialog.querySelectorAll('.leaving li')).toHaveLength(69)
    const go = dialog.querySelector('[data-test=deactivate-apply]') as HTMLButtonElement
    expect(go.disabled).toBe(true)
    go.click()
    await settle()
    expect(calls.some((c) => c.cmd === 'apply_roster')).toBe(false)
    ;(dialog.querySelector('[data-test=deactivate-tick] input') as HTMLInputElement).click()
    await settle()
    expect(go.disabled).toBe(false)
    go.click()
    await settle()
    const applied = calls.find((c) => c.cmd === 'apply_roster')!
    expect(applied.args).toEqual({ choice: { mode: 'full', confirmed_deactivations: 69 } })
  })

  it('switching to 增补 previews the same file again and deactivates no one', async () => {
    const calls = fakeBackend({
      pick_roster: (a) => pick(0, many, a.mode as ImportMode),
      preview_pending_roster: (a) => pick(0, many, a.mode as ImportMode).preview,
      apply_roster: () => ({ created: 2, updated: 1, unchanged: 0, deactivated: 0, sectors_added: 0, studio_links: 0, backup: null }),
    })
    const wrapper = mountImport()
    await wrapper.get('[data-test=pick-roster]').trigger('click')
    await settle()
    await wrapper.get('[data-test=import-mode-append] input').setValue(true)
    await settle()
    expect(calls.find((c) => c.cmd === 'preview_pending_roster')?.args).toEqual({ mode: 'append' })
    expect(wrapper.find('[data-test=deactivate-note]').exists()).toBe(false)
    expect(wrapper.text()).toContain('增补方式：不在文件中的委员保持原状')
    await wrapper.get('[data-test=apply-roster]').trigger('click')
    await settle()
    const confirm = Array.from(document.querySelectorAll('.el-message-box__btns button')).find((b) => b.textContent?.includes('导入')) as HTMLElement
    confirm.click()
    await settle()
    expect(calls.find((c) => c.cmd === 'apply_roster')?.args).toEqual({ choice: { mode: 'append', confirmed_deactivations: null } })
  })
})

describe('ImportView for studios', () => {
  it('previews and imports a studio list through the studio commands', async () => {
    const calls = fakeBackend({
      pick_studios: () => ({
        file_name: '工作室.xlsx',
        preview: {
          header_row: 1, unknown_columns: [], rows_read: 2, new: 2, changed: 0, unchanged: 0, rejected: 0,
          rows: [], skipped: [], problems: [],
        },
      }),
      apply_studios: () => ({
        header_row: 1, unknown_columns: [], rows_read: 2, new: 2, changed: 0, unchanged: 0, rejected: 0,
        rows: [], skipped: [], problems: [],
      }),
    })
    const wrapper = mountImport()
    await wrapper.get('[data-test=import-kind-studios]').trigger('click')
    await settle()
    await wrapper.get('[data-test=pick-roster]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test=import-counts]').text()).toContain('新增 2')
    expect(wrapper.find('[data-test=new-sectors]').exists()).toBe(false)
    await wrapper.get('[data-test=apply-roster]').trigger('click')
    await settle()
    const confirm = Array.from(document.querySelectorAll('.el-message-box__btns button')).find((b) => b.textContent?.includes('导入')) as HTMLElement
    confirm.click()
    await settle()
    expect(calls.map((c) => c.cmd)).toEqual(['pick_studios', 'apply_studios'])
  })
})

describe('ImportView while busy', () => {
  it('while an import is under way the file and its mode cannot change, and the screen clears after it', async () => {
    let finish: (v: unknown) => void = () => {}
    const calls = fakeBackend({
      pick_roster: () => pick(0),
      apply_roster: () => new Promise((r) => { finish = r }),
    })
    const wrapper = mountImport()
    await wrapper.get('[data-test=pick-roster]').trigger('click')
    await settle()
    await wrapper.get('[data-test=apply-roster]').trigger('click')
    await settle()
    const confirm = [...document.querySelectorAll<HTMLButtonElement>('.el-message-box__btns button')].find((b) => b.textContent?.includes('导入'))!
    confirm.click()
    await settle()
    expect(calls.map((c) => c.cmd)).toEqual(['pick_roster', 'apply_roster'])
    const radios = () => [...wrapper.findAll('[data-test=import-mode] input'), ...wrapper.findAll('[data-test=import-kind] input')]
    expect(radios().length).toBe(4)
    for (const r of radios()) expect((r.element as HTMLInputElement).disabled).toBe(true)
    expect(wrapper.get('[data-test=pick-roster]').attributes('disabled')).toBeDefined()
    finish({ created: 2, updated: 1, unchanged: 0, deactivated: 1, sectors_added: 1, studio_links: 0, backup: null })
    await settle()
    expect(wrapper.find('[data-test=import-counts]').exists()).toBe(false)
    for (const r of radios()) expect((r.element as HTMLInputElement).disabled).toBe(false)
  })
})
