/**
 * 名单管理 against a fake backend: the member list and its search, adding and editing a
 * member (the phone and the ID number typed in, never shown back), the core's refusal
 * shown beside its field, deactivation and reactivation, and a studio's members and lead.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks } from '@tauri-apps/api/mocks'
import { DOMWrapper } from '@vue/test-utils'
import RosterView from '../components/RosterView.vue'
import { fakeBackend, mountWith, settle } from './helpers'
import type { Member, MemberDetails, MemberInput, Studio, StudioInput } from '../ipc'

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
  localStorage.clear()
})

function roster(): Member[] {
  return [
    { code: '15001', name: '王强', gender: 'male', sector: '医药卫生', unit_title: '市人民医院', phone: null, term: '十五届', role: 'member', active: true },
    { code: '15002', name: '李梅', gender: 'female', sector: '教育', unit_title: null, phone: null, term: '十五届', role: 'standing_member', active: true },
    { code: '15003', name: '陈刚', gender: 'male', sector: '经济', unit_title: null, phone: null, term: '十四届', role: 'member', active: false },
  ]
}

function details(m: Member, more: Partial<MemberDetails> = {}): MemberDetails {
  return { member: { ...m, phone: null }, ethnicity: null, birth_month: null, has_phone: false, has_id_number: false, ...more }
}

/** A backend holding a roster that the commands change, as the core would. */
function backend(extra: Record<string, (a: Record<string, unknown>) => unknown> = {}) {
  const members = roster()
  const studios: Studio[] = [
    { id: 's1', name: '法律服务委员工作室', kind: 'featured', focus: '法律服务', lead_code: '15001', member_codes: ['15001'] },
  ]
  const calls = fakeBackend({
    list_members: () => members.map((m) => ({ ...m })),
    list_studios: () => studios.map((s) => ({ ...s })),
    member_details: (a) => details(members.find((m) => m.code === a.code)!, { has_phone: true, has_id_number: true, ethnicity: '汉族', birth_month: '1965-10' }),
    add_member: (a) => {
      const i = a.input as MemberInput
      const m: Member = { code: i.code, name: i.name, gender: i.gender, sector: i.sector, unit_title: i.unit_title, phone: null, term: i.term, role: i.role, active: true }
      members.push(m)
      return details(m)
    },
    update_member: (a) => {
      const i = a.input as MemberInput
      const m = members.find((x) => x.code === a.code)!
      Object.assign(m, { name: i.name, sector: i.sector, role: i.role })
      return details(m)
    },
    set_member_active: (a) => {
      const m = members.find((x) => x.code === a.code)!
      m.active = a.active as boolean
      return details(m)
    },
    update_studio: (a) => {
      const s = studios.find((x) => x.id === a.id)!
      Object.assign(s, a.input as StudioInput)
      return { ...s }
    },
    ...extra,
  })
  return { calls, members, studios }
}

/** Dialogs are teleported to <body>, so fields are looked up in the whole document. */
function field(selector: string): DOMWrapper<HTMLElement> {
  const el = document.querySelector<HTMLElement>(selector)
  if (!el) throw new Error(`no ${selector} in the document`)
  return new DOMWrapper(el)
}

/** The error Element Plus shows under the form item holding `selector` (after its debounce). */
async function errorBeside(selector: string): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 150))
  const item = document.querySelector(selector)?.closest('.el-form-item')
  return item?.querySelector('.el-form-item__error')?.textContent?.trim() ?? ''
}

/** Clicks the button `name` in the table row showing `text`. */
async function rowButton(text: string, name: string) {
  const row = Array.from(document.querySelectorAll<HTMLElement>('.el-table__body tr')).find((r) => r.textContent?.includes(text))
  if (!row) throw new Error(`no row with ${text}`)
  const button = row.querySelector<HTMLElement>(`[data-test=${name}]`)
  if (!button) throw new Error(`no ${name} in the row of ${text}`)
  button.click()
  await settle()
}

function names(): string[] {
  return Array.from(document.querySelectorAll('[data-test=member-row-name]')).map((e) => e.textContent ?? '')
}

/** The options of the select marked `name` (teleported; the select's input names its list). */
function options(name: string): HTMLElement[] {
  const input = document.querySelector<HTMLElement>(`[data-test=${name}] input[aria-controls]`)
  const list = document.getElementById(input?.getAttribute('aria-controls') ?? '')
  if (!list) throw new Error(`the list of [data-test=${name}] is not rendered`)
  return Array.from(list.querySelectorAll<HTMLElement>('.el-select-dropdown__item'))
}

describe('RosterView members', () => {
  it('lists the active members, finds them by any word, and shows the inactive on request', async () => {
    backend()
    const wrapper = mountWith(RosterView)
    await settle()
    expect(names()).toEqual(['王强', '李梅'])
    expect(wrapper.get('[data-test=roster-count]').text()).toBe('共 3 人（在任 2 人）')
    expect(document.body.textContent).toContain('常委')
    await wrapper.get('input[data-test=roster-search]').setValue('医院')
    await settle()
    expect(names()).toEqual(['王强'])
    await wrapper.get('input[data-test=roster-search]').setValue('')
    await wrapper.get('[data-test=roster-show-inactive] input').setValue(true)
    await settle()
    expect(names()).toEqual(['王强', '李梅', '陈刚'])
    expect(Array.from(document.querySelectorAll('[data-test=member-row-status]')).map((e) => e.textContent)).toEqual(['在任', '在任', '已停用'])
  })

  it('adds a member with the phone and the ID number typed in', async () => {
    const { calls } = backend()
    const wrapper = mountWith(RosterView)
    await settle()
    await wrapper.get('[data-test=add-member]').trigger('click')
    await settle()
    await field('input[data-test=member-code]').setValue(' 15009 ')
    await field('input[data-test=member-name]').setValue('赵敏')
    await field('input[data-test=member-phone]').setValue('13900001111')
    await field('input[data-test=member-id]').setValue('11010519491231002X')
    await field('input[data-test=member-birth]').setValue('1965.10')
    await field('[data-test=member-save]').trigger('click')
    await settle()
    const add = calls.find((c) => c.cmd === 'add_member')
    expect(add?.args.input).toMatchObject({
      code: '15009', name: '赵敏', phone: '13900001111', id_number: '11010519491231002X',
      birth_month: '1965.10', role: 'member', gender: null, sector: null, clear_phone: false, clear_id_number: false,
    })
    expect(names()).toContain('赵敏')
    expect(wrapper.emitted('changed')).toHaveLength(1)
    // The typed numbers are gone from the form once saved.
    await wrapper.get('[data-test=add-member]').trigger('click')
    await settle()
    expect((field('input[data-test=member-phone]').element as HTMLInputElement).value).toBe('')
  })

  it('refuses an empty name before asking the core', async () => {
    const { calls } = backend()
    const wrapper = mountWith(RosterView)
    await settle()
    await wrapper.get('[data-test=add-member]').trigger('click')
    await settle()
    await field('input[data-test=member-code]').setValue('15009')
    await field('[data-test=member-save]').trigger('click')
    await settle()
    expect(await errorBeside('input[data-test=member-name]')).toBe('必填')
    expect(calls.some((c) => c.cmd === 'add_member')).toBe(false)
  })

  it('shows the core’s refusal beside the field it names, and a taken code beside the code', async () => {
    let answer: unknown = { kind: 'invalid', field: 'id_number', message: '身份证号校验位不正确，请核对' }
    backend({
      add_member: () => {
        throw answer
      },
    })
    const wrapper = mountWith(RosterView)
    await settle()
    await wrapper.get('[data-test=add-member]').trigger('click')
    await settle()
    await field('input[data-test=member-code]').setValue('15009')
    await field('input[data-test=member-name]').setValue('赵敏')
    await field('input[data-test=member-id]').setValue('110105194912310021')
    await field('[data-test=member-save]').trigger('click')
    await settle()
    expect(await errorBeside('input[data-test=member-id]')).toBe('身份证号校验位不正确，请核对')
    expect(await errorBeside('input[data-test=member-name]')).toBe('')
    expect(document.querySelector('[data-test=member-dialog]')).not.toBeNull()

    answer = { kind: 'duplicate', field: null, message: '委员编号 15001 已存在' }
    await field('[data-test=member-save]').trigger('click')
    await settle()
    expect(await errorBeside('input[data-test=member-code]')).toBe('委员编号 15001 已存在')
    expect(wrapper.emitted('changed')).toBeUndefined()
  })

  it('edits a member: the details are filled in, the phone and ID number only said to be on file', async () => {
    const { calls } = backend()
    const wrapper = mountWith(RosterView)
    await settle()
    await rowButton('15001', 'member-edit')
    expect(calls.find((c) => c.cmd === 'member_details')?.args).toEqual({ code: '15001' })
    const code = field('input[data-test=member-code]').element as HTMLInputElement
    expect(code.value).toBe('15001')
    expect(code.disabled).toBe(true)
    expect((field('input[data-test=member-ethnicity]').element as HTMLInputElement).value).toBe('汉族')
    const phone = field('input[data-test=member-phone]').element as HTMLInputElement
    expect(phone.value).toBe('')
    expect(phone.placeholder).toContain('已登记')
    expect((field('input[data-test=member-id]').element as HTMLInputElement).placeholder).toContain('已登记')
    await field('input[data-test=member-name]').setValue('王小强')
    await field('[data-test=member-save]').trigger('click')
    await settle()
    const update = calls.find((c) => c.cmd === 'update_member')
    expect(update?.args.code).toBe('15001')
    expect(update?.args.input).toMatchObject({ name: '王小强', phone: null, id_number: null, clear_phone: false, ethnicity: '汉族', birth_month: '1965-10' })
    expect(names()).toContain('王小强')
    expect(wrapper.emitted('changed')).toHaveLength(1)
  })

  it('deactivates after asking, says why the core refuses, and reactivates', async () => {
    let refuse = true
    const { calls } = backend({
      set_member_active: (a) => {
        if (refuse) throw { kind: 'invalid', field: 'active', message: '王强是“法律服务委员工作室”的负责人，不能停用' }
        return details({ ...roster()[1], active: a.active as boolean })
      },
    })
    const wrapper = mountWith(RosterView)
    await settle()
    await rowButton('15001', 'member-deactivate')
    const confirm = () => Array.from(document.querySelectorAll<HTMLElement>('.el-message-box__btns button')).find((b) => b.textContent?.includes('停用'))!
    expect(document.querySelector('.el-message-box__message')?.textContent).toContain('王强（15001）')
    confirm().click()
    await settle()
    expect(calls.find((c) => c.cmd === 'set_member_active')?.args).toEqual({ code: '15001', active: false })
    const error = wrapper.emitted('error')?.[0]?.[0] as Error
    expect(error.message).toContain('负责人')

    refuse = false
    await wrapper.get('[data-test=roster-show-inactive] input').setValue(true)
    await settle()
    await rowButton('15003', 'member-reactivate')
    const sets = calls.filter((c) => c.cmd === 'set_member_active')
    expect(sets[sets.length - 1].args).toEqual({ code: '15003', active: true })
    expect(wrapper.emitted('changed')).toHaveLength(1)
  })
})

describe('RosterView studios', () => {
  it('shows each studio’s lead and members, and changes them', async () => {
    const { calls } = backend()
    const wrapper = mountWith(RosterView)
    await settle()
    await wrapper.get('[data-test=roster-tab-studios] input').setValue(true)
    await settle()
    expect(document.querySelector('[data-test=studio-row-lead]')?.textContent).toBe('王强')
    await rowButton('法律服务委员工作室', 'studio-edit')
    // Only active members may join; 陈刚 is inactive and not in the studio.
    const choices = options('studio-members').map((o) => o.textContent?.trim())
    expect(choices).toEqual(['王强（15001）', '李梅（15002）'])
    options('studio-members')[1].click()
    await settle()
    const li = options('studio-lead').find((o) => o.textContent?.includes('李梅'))
    expect(li).toBeDefined()
    li!.click()
    await settle()
    await field('[data-test=studio-save]').trigger('click')
    await settle()
    const update = calls.find((c) => c.cmd === 'update_studio')
    expect(update?.args.id).toBe('s1')
    expect(update?.args.input).toEqual({
      name: '法律服务委员工作室', kind: 'featured', focus: '法律服务', lead_code: '15002', member_codes: ['15001', '15002'],
    })
    expect(document.querySelector('[data-test=studio-row-members]')?.textContent).toBe('王强、李梅')
    expect(wrapper.emitted('changed')).toHaveLength(1)
  })

  it('takes the lead away with the member, and shows the core’s refusal beside the members', async () => {
    const { calls } = backend({
      update_studio: () => {
        throw { kind: 'invalid', field: 'member_codes', message: '陈刚（15003）已停用，不能加入工作室' }
      },
    })
    const wrapper = mountWith(RosterView)
    await settle()
    await wrapper.get('[data-test=roster-tab-studios] input').setValue(true)
    await settle()
    await rowButton('法律服务委员工作室', 'studio-edit')
    options('studio-members')[0].click()
    await settle()
    await field('[data-test=studio-save]').trigger('click')
    await settle()
    expect(calls.find((c) => c.cmd === 'update_studio')?.args.input).toMatchObject({ lead_code: null, member_codes: [] })
    expect(await errorBeside('[data-test=studio-members]')).toContain('已停用')
  })
})
