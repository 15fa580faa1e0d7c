/** The roster import screen against a fake backend: preview counts, problems, apply. */
import { afterEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { clearMocks } from '@tauri-apps/api/mocks'
import ImportView from '../components/ImportView.vue'
import { i18n, setLocale } from '../i18n'
import { fakeBackend, settle } from './helpers'
import type { RosterPick } from '../ipc'

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
  localStorage.clear()
})

function pick(rejected: number): RosterPick {
  return {
    file_name: '名单.xlsx',
    preview: {
      format: 'xlsx', sheet_name: '委员名单', header_row: 2, columns: [], unknown_columns: ['爱好'],
      rows_read: 3, new: 2 - rejected, changed: 1, unchanged: 0, rejected,
      rows: [], skipped: [{ row: 6, reason: '合计行' }],
      problems: rejected ? [{ row: 5, column: 'H', header: '手机', reason: '电话号码被 Excel 存成了数字' }] : [],
      new_sectors: ['医药卫生'], unknown_studios: [], to_deactivate: ['李梅（15002）'],
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
    expect(wrapper.emitted('imported')).toHaveLength(1)
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
