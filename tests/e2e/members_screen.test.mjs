/**
 * End to end through the real window, as the office in 名单管理: a member added with a phone
 * and an ID number, then edited (a wrong ID check character refused beside its field, the
 * phone kept though never shown); a studio's lead refused deactivation, another member
 * deactivated and reactivated; a studio's members and lead changed. The CLI, reading the
 * same ledger file, checks what was stored. Takes docs/screenshots/members.png.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Session, startDriver } from './webdriver.mjs'

const root = resolve(import.meta.dirname, '../..')
const APP = join(root, 'target/debug/lvzhi-desktop')
const CLI = join(root, 'target/debug/lvzhi')
const ARTIFACTS = join(root, 'tests/e2e/artifacts')
const SHOTS = join(root, 'docs/screenshots')
const dir = mkdtempSync(join(tmpdir(), 'lvzhi-e2e-members-'))
const db = join(dir, 'ledger.db')
const lvzhi = (...args) => execFileSync(CLI, ['--db', db, ...args], { encoding: 'utf8' })
const member = (code) => JSON.parse(lvzhi('member', 'list', '--json')).find((m) => m.code === code)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

let driver
let s

/** Waits until `check` (reading the ledger through the CLI) holds. */
async function eventually(check, what) {
  const until = Date.now() + 15000
  for (;;) {
    try {
      if (check()) return
    } catch {
      // not written yet
    }
    if (Date.now() > until) throw new Error(`the ledger never showed ${what}`)
    await sleep(200)
  }
}

/** Clicks the button marked `dataTest` in the table row that shows `text`. */
async function rowButton(text, dataTest) {
  await s.execute(
    `const row = Array.from(document.querySelectorAll('.el-table__body tr'))
       .find((r) => r.textContent.includes(arguments[0]))
     row.querySelector('[data-test=' + arguments[1] + ']').click()`,
    [text, dataTest],
  )
}

/** Waits for the member dialog to be open and still. */
async function dialogOpen() {
  await s.waitFor('input[data-test=member-name]')
  await s.waitForStill('.el-dialog')
}

async function save(dataTest) {
  await s.clickWhenReady(() => s.waitFor(`[data-test=${dataTest}]`))
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true })
  lvzhi('member', 'add', '--code', '15001', '--name', '王强', '--sector', '医药卫生', '--unit', '市人民医院 主任医师')
  lvzhi('member', 'add', '--code', '15003', '--name', '陈刚', '--sector', '经济', '--role', '常委')
  lvzhi('studio', 'add', '--name', '法律服务委员工作室', '--kind', '特色型', '--focus', '服务特色：法律服务', '--lead', '15001')
  // A few more, so that the screenshot shows a list. (Invented names.)
  for (const [code, name, gender, sector, unit, role] of [
    ['15004', '张丽华', '女', '教育', '市实验小学 校长', '委员'],
    ['15005', '刘建国', '男', '经济', '市建设集团 董事长', '常委'],
    ['15006', '周敏', '女', '医药卫生', '市中医院 副院长', '委员'],
    ['15007', '吴海涛', '男', '工商联', '海涛实业有限公司 总经理', '委员'],
    ['15008', '郑晓燕', '女', '社会福利和社会保障', '市慈善总会 秘书长', '社情民意联络员'],
    ['15009', '孙志强', '男', '农业和农村', '镇农业服务中心 主任', '委员'],
  ]) {
    lvzhi('member', 'add', '--code', code, '--name', name, '--gender', gender, '--sector', sector, '--unit', unit, '--role', role, '--term', '十五届')
  }
  lvzhi('member', 'deactivate', '15009')
  driver = await startDriver(4496, { LVZHI_DB: db, XDG_DATA_HOME: join(dir, 'data') })
  s = await Session.create(driver.base, APP)
  await s.clickWhenReady(() => s.waitFor('[data-test=setup-office]'))
  await s.clickWhenReady(() => s.waitFor('[data-test=setup-save]'))
  await s.waitForGone('[data-test=setup-dialog]')
})

after(async () => {
  await s?.close()
  driver?.child.kill()
})

test('the office adds a member in 名单管理 and the CLI reads them back', async () => {
  await s.clickWhenReady(() => s.waitFor('[data-test=view-roster]'))
  await s.waitForText('[data-test=member-row-name]', '王强')
  await s.clickWhenReady(() => s.waitFor('[data-test=add-member]'))
  await dialogOpen()
  await s.type(await s.waitFor('input[data-test=member-code]'), '15002')
  await s.type(await s.waitFor('input[data-test=member-name]'), '李　梅')
  await s.clickWhenReady(() => s.waitForElementWithText('[data-test=member-gender] .el-radio', '女'))
  await s.chooseOption('member-role', '常委', '.el-dialog__header')
  await s.type(await s.waitFor('[data-test=member-sector] input'), '教育\uE007')
  await s.type(await s.waitFor('input[data-test=member-unit]'), '市第一中学 校长')
  await s.type(await s.waitFor('input[data-test=member-term]'), '十五届')
  await s.type(await s.waitFor('input[data-test=member-phone]'), '13900002222')
  await s.type(await s.waitFor('input[data-test=member-id]'), '11010519491231002X')
  await s.screenshot(join(ARTIFACTS, 'members-add.png'))
  await save('member-save')
  await s.waitForGone('.el-dialog')
  await s.waitForText('[data-test=member-row-name]', '李梅')

  await eventually(() => member('15002')?.name === '李梅', '15002')
  const li = member('15002')
  assert.deepEqual(
    [li.name, li.gender, li.role, li.sector, li.unit_title, li.term, li.phone, li.active],
    ['李梅', 'female', 'standing_member', '教育', '市第一中学 校长', '十五届', '13900002222', true],
  )
  assert.equal(li.id_number, undefined, 'no ID number leaves the core')
})

test('an edit refuses a wrong ID check character beside its field and keeps the phone it never showed', async () => {
  await rowButton('15002', 'member-edit')
  await dialogOpen()
  assert.equal(await s.execute("return document.querySelector('input[data-test=member-code]').disabled"), true)
  const phone = await s.execute("const i = document.querySelector('input[data-test=member-phone]'); return [i.value, i.placeholder]")
  assert.equal(phone[0], '', 'the phone is never shown')
  assert.match(phone[1], /已登记/)
  await s.type(await s.waitFor('input[data-test=member-id]'), '110105194912310021')
  await s.replaceText(await s.waitFor('input[data-test=member-name]'), '李梅梅')
  await save('member-save')
  await s.waitForText('.el-form-item__error', '身份证号校验位不正确')
  await s.screenshot(join(ARTIFACTS, 'members-bad-id.png'))
  assert.equal(member('15002').name, '李梅', 'nothing was written')

  await s.replaceText(await s.waitFor('input[data-test=member-id]'), '')
  await s.replaceText(await s.waitFor('input[data-test=member-term]'), '十五届（2022—2027）')
  await save('member-save')
  await s.waitForGone('.el-dialog')
  await s.waitForText('[data-test=member-row-name]', '李梅梅')
  await eventually(() => member('15002').name === '李梅梅', 'the new name')
  const li = member('15002')
  assert.equal(li.term, '十五届（2022—2027）')
  assert.equal(li.phone, '13900002222', 'an empty phone field keeps the phone on file')
})

test('a studio lead is not deactivated; another member is deactivated and reactivated', async () => {
  await rowButton('15001', 'member-deactivate')
  await s.clickWhenReady(() => s.waitForElementWithText('.el-message-box__btns button', '停用'))
  await s.waitForText('.el-message', '法律服务委员工作室')
  assert.equal(member('15001').active, true)

  await rowButton('15003', 'member-deactivate')
  await s.clickWhenReady(() => s.waitForElementWithText('.el-message-box__btns button', '停用'))
  await eventually(() => member('15003').active === false, '15003 inactive')
  await s.waitForGone('.el-message-box')
  await s.clickWhenReady(() => s.waitFor('[data-test=roster-show-inactive]'))
  await s.waitForText('[data-test=member-row-status]', '已停用')
  await rowButton('15003', 'member-reactivate')
  await eventually(() => member('15003').active === true, '15003 active again')
})

test('a studio’s members and lead are changed in the window', async () => {
  await s.clickWhenReady(() => s.waitFor('[data-test=roster-tab-studios]'))
  await s.waitForText('[data-test=studio-row-name]', '法律服务委员工作室')
  await rowButton('法律服务委员工作室', 'studio-edit')
  await s.waitFor('input[data-test=studio-name]')
  await s.waitForStill('.el-dialog')
  await s.chooseOption('studio-members', '李梅梅（15002）', '.el-dialog__header')
  await s.chooseOption('studio-lead', '李梅梅（15002）', '.el-dialog__header')
  await save('studio-save')
  await s.waitForGone('.el-dialog')
  await s.waitForText('[data-test=studio-row-lead]', '李梅梅')
  await eventually(() => JSON.parse(lvzhi('studio', 'list', '--json'))[0].lead_code === '15002', 'the new lead')
  const [studio] = JSON.parse(lvzhi('studio', 'list', '--json'))
  assert.deepEqual(studio.member_codes, ['15001', '15002'])

  // The lists as the office sees them, once the messages have gone and the tabs settled.
  await s.waitForGone('.el-message', 15000)
  await sleep(600)
  await s.screenshot(join(ARTIFACTS, 'members-studios.png'))
  await s.clickWhenReady(() => s.waitFor('[data-test=roster-tab-members]'))
  await s.waitForText('[data-test=member-row-name]', '李梅梅')
  await sleep(600)
  await s.screenshot(join(SHOTS, 'members.png'))
})
