/** The paragraph template editor against a fake backend: live preview, faults with their line, reset, insert, save. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { clearMocks } from '@tauri-apps/api/mocks'
import ParagraphTemplateDialog from '../components/ParagraphTemplateDialog.vue'
import StatsView from '../components/StatsView.vue'
import { i18n, setLocale } from '../i18n'
import { fakeBackend, settle, tally } from './helpers'
import type { ParagraphPreview, ParagraphSettings } from '../ipc'

afterEach(() => {
  clearMocks()
  vi.useRealTimers()
  document.body.innerHTML = ''
})

const DEFAULT = '{% if 工作室活动 %}委员工作室开展各类活动{{ 工作室活动|phrase("次") }}。{% endif %}'

/** A backend whose preview echoes the template, and calls a template with "坏" faulty on line 2. */
function backend(kept: ParagraphSettings = { template: DEFAULT, other_events: 'apart' }) {
  return fakeBackend({
    paragraph_settings: () => kept,
    preview_paragraph: (a): ParagraphPreview => {
      const s = a.settings as ParagraphSettings
      const faulty = s.template.includes('坏')
      return {
        paragraph: faulty ? null : `2024年全年，${s.template}（${s.other_events}）`,
        error: faulty ? { line: 2, message: '模板语法错误（unexpected end of input）' } : null,
        placeholders: [{ name: '调研成果', meaning: '调研成果篇数', value: '8' }],
        default_template: DEFAULT,
      }
    },
    set_paragraph_settings: (a) => a.settings,
  })
}

function mountDialog() {
  setLocale('zh-CN')
  return mount(ParagraphTemplateDialog, {
    props: { modelValue: true, year: 2024, options: { more: 'duo', include_unreviewed: true } },
    attachTo: document.body,
    global: { plugins: [ElementPlus, i18n], stubs: { transition: false, 'transition-group': false } },
  })
}

/** Waits past the editor's 200 ms pause before it asks for a preview. */
async function afterPause() {
  await settle()
  await new Promise((r) => setTimeout(r, 260))
  await settle()
}

function source(): HTMLTextAreaElement {
  return document.querySelector('textarea[data-test=template-source]') as HTMLTextAreaElement
}

function text(selector: string): string {
  return document.querySelector(`[data-test=${selector}]`)?.textContent ?? ''
}

describe('ParagraphTemplateDialog', () => {
  it('previews what the template writes as it is typed', async () => {
    const calls = backend()
    mountDialog()
    await afterPause()
    expect(source().value).toBe(DEFAULT)
    expect(text('template-preview')).toContain('2024年全年，{% if 工作室活动 %}')
    source().value = '全市委员工作室共开展活动{{ 工作室活动 }}场。'
    source().dispatchEvent(new Event('input'))
    await afterPause()
    expect(text('template-preview')).toBe('2024年全年，全市委员工作室共开展活动{{ 工作室活动 }}场。（apart）')
    const asked = calls.filter((c) => c.cmd === "preview_paragraph").slice(-1)[0]
    expect(asked.args.year).toBe(2024)
    expect(text('template-names')).toContain('调研成果篇数')
  })

  it('shows a fault with its line and the line itself, and will not save it', async () => {
    const calls = backend()
    mountDialog()
    await afterPause()
    source().value = '第一行\n第二行坏{% if 活动 %}'
    source().dispatchEvent(new Event('input'))
    await afterPause()
    expect(text('template-error')).toContain('第2行：模板语法错误')
    expect(text('template-error')).toContain('第二行坏{% if 活动 %}')
    const save = document.querySelector('[data-test=template-save]') as HTMLButtonElement
    expect(save.disabled).toBe(true)
    save.click()
    await settle()
    expect(calls.some((c) => c.cmd === 'set_paragraph_settings')).toBe(false)
  })

  it('resets to the default, inserts a name at the cursor and saves the setting', async () => {
    const calls = backend({ template: '我们的模板。', other_events: 'apart' })
    const wrapper = mountDialog()
    await afterPause()
    const reset = document.querySelector('[data-test=template-reset]') as HTMLButtonElement
    expect(reset.disabled).toBe(false)
    reset.click()
    await afterPause()
    expect(source().value).toBe(DEFAULT)
    expect((document.querySelector('[data-test=template-reset]') as HTMLButtonElement).disabled).toBe(true)

    source().value = '调研成果篇。'
    source().dispatchEvent(new Event('input'))
    source().setSelectionRange(4, 4)
    const nameButton = document.querySelector('[data-test=template-names] .el-button') as HTMLButtonElement
    nameButton.click()
    await afterPause()
    expect(source().value).toBe('调研成果{{ 调研成果 }}篇。')

    const omit = [...document.querySelectorAll('[data-test=template-other-events] input')].find(
      (i) => (i as HTMLInputElement).value === 'omit',
    ) as HTMLInputElement
    omit.click()
    await afterPause()
    ;(document.querySelector('[data-test=template-save]') as HTMLButtonElement).click()
    await settle()
    const saved = calls.find((c) => c.cmd === 'set_paragraph_settings')!
    expect(saved.args).toEqual({ year: 2024, settings: { template: '调研成果{{ 调研成果 }}篇。', other_events: 'omit' } })
    expect(wrapper.emitted('saved')?.[0]).toEqual([{ template: '调研成果{{ 调研成果 }}篇。', other_events: 'omit' }])
  })

  it('the statistics screen says when the kept template failed and the default wrote the paragraph', async () => {
    fakeBackend({
      year_close: () => ({
        tally: tally({ paragraph_problem: { line: 3, message: '没有名为“活動”的数字或文字' } }),
        by_category: [],
        by_studio: [],
        by_studio_kind: [],
        by_sector: [],
        by_member: [],
        by_month: [],
      }),
    })
    setLocale('zh-CN')
    mount(StatsView, {
      props: { year: 2024 },
      attachTo: document.body,
      global: { plugins: [ElementPlus, i18n], stubs: { EChart: true, transition: false, 'transition-group': false } },
    })
    await settle()
    expect(text('paragraph-problem')).toContain('第3行：没有名为“活動”的数字或文字')
    expect(text('paragraph')).toContain('委员工作室开展各类活动50多次')
  })
})
