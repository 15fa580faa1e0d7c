/**
 * End to end through the real window, as an admin importing the roster: a file with a
 * problem is previewed and refused, the fixed file is previewed and imported, and the CLI,
 * reading the same ledger, lists the members. The open dialog is answered through
 * LVZHI_E2E_OPEN_FILE (see year_stats.test.mjs for why).
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Session, startDriver } from './webdriver.mjs'

const root = resolve(import.meta.dirname, '../..')
const APP = join(root, 'target/debug/lvzhi-desktop')
const CLI = join(root, 'target/debug/lvzhi')
const ARTIFACTS = join(root, 'tests/e2e/artifacts')

const dir = mkdtempSync(join(tmpdir(), 'lvzhi-e2e-roster-'))
const db = join(dir, 'ledger.db')
const file = join(dir, '名单.csv')
const HEADER = '\ufeffXX市政协第十五届委员名单\r\n委员编号,姓名,性别,界别,联系电话\r\n'

let driver
let s

before(async () => {
  driver = await startDriver(4458, { LVZHI_DB: db, LVZHI_E2E_OPEN_FILE: file, LVZHI_E2E_SAVE_DIR: dir })
  s = await Session.create(driver.base, APP)
})

after(async () => {
  await s?.close()
  driver?.child.kill()
})

test('first launch: this is the committee office, and it names its committee', async () => {
  await s.clickWhenReady(() => s.waitFor('[data-test=setup-office]'))
  await s.type(await s.waitFor('input[data-test=setup-committee]'), '东阳市政协')
  await s.clickWhenReady(() => s.waitFor('[data-test=setup-save]'))
  await s.waitForGone('[data-test=setup-dialog]')
  await s.waitForText('[data-test=open-setup]', '政协办公室')
  // The CLI reads the same ledger: the name was kept.
  const shown = execFileSync(CLI, ['--db', db, 'settings', 'show'], { encoding: 'utf8' })
  assert.ok(shown.includes('委员会名称：东阳市政协'), shown)
})

test('a roster with a problem is previewed and refused, the fixed one imported', async () => {
  writeFileSync(file, HEADER + '15001,王强,男,医药卫生,13900001111\r\n15002,李梅,不详,教育,13900002222\r\n合计,2人,,,\r\n')
  await s.clickWhenReady(() => s.waitFor('[data-test=view-import]'))
  await s.clickWhenReady(() => s.waitFor('[data-test=pick-roster]'))
  await s.waitForText('[data-test=import-counts]', '读取 2 行：新增 1，变更 0，未变 0，有问题 1')
  await s.waitForText('[data-test=problem-reason]', '性别“不详”无法识别')
  assert.equal(await s.execute("return document.querySelector('[data-test=apply-roster]').disabled"), true)
  await s.screenshot(join(ARTIFACTS, 'roster-problems.png'))

  writeFileSync(file, HEADER + '15001,王强,男,医药卫生,13900001111\r\n15002,李梅,女,教育,13900002222\r\n合计,2人,,,\r\n')
  await s.clickWhenReady(() => s.waitFor('[data-test=pick-roster]'))
  await s.waitForText('[data-test=import-counts]', '读取 2 行：新增 2，变更 0，未变 0，有问题 0')
  await s.clickWhenReady(() => s.waitFor('[data-test=apply-roster]'))
  await s.clickWhenReady(() => s.waitForElementWithText('.el-message-box__btns button', '导入'))
  const until = Date.now() + 15000
  let members = []
  while (members.length < 2 && Date.now() < until) {
    members = JSON.parse(execFileSync(CLI, ['--db', db, 'member', 'list', '--json'], { encoding: 'utf8' }))
    await new Promise((r) => setTimeout(r, 200))
  }
  assert.deepEqual(members.map((m) => [m.code, m.name, m.sector]), [['15001', '王强', '医药卫生'], ['15002', '李梅', '教育']])
})

test('the studio list is imported the same way, members named by name', async () => {
  writeFileSync(file, '\ufeff工作室名称,类型,特色,负责人,成员\r\n医药卫生界别委员工作室,界别型,,王强,李梅\r\n')
  await s.clickWhenReady(() => s.waitFor('[data-test=import-kind-studios]'))
  await s.clickWhenReady(() => s.waitFor('[data-test=pick-roster]'))
  await s.waitForText('[data-test=import-counts]', '读取 1 行：新增 1，变更 0，未变 0，有问题 0')
  await s.clickWhenReady(() => s.waitFor('[data-test=apply-roster]'))
  await s.clickWhenReady(() => s.waitForElementWithText('.el-message-box__btns button', '导入'))
  const until = Date.now() + 15000
  let studios = []
  while (studios.length < 1 && Date.now() < until) {
    studios = JSON.parse(execFileSync(CLI, ['--db', db, 'studio', 'list', '--json'], { encoding: 'utf8' }))
    await new Promise((r) => setTimeout(r, 200))
  }
  assert.equal(studios[0].name, '医药卫生界别委员工作室')
  assert.equal(studios[0].kind, 'sector')
  assert.deepEqual(studios[0].member_codes, ['15001', '15002'])
})

test('a short file as the whole roster asks to confirm the count; as additions it deactivates no one', async () => {
  const active = () =>
    JSON.parse(execFileSync(CLI, ['--db', db, 'member', 'list', '--json'], { encoding: 'utf8' })).filter((m) => m.active).length
  let rows = ''
  for (let i = 3; i <= 12; i++) rows += `${15000 + i},委员${i},男,教育,\r\n`
  // Ten more, as additions: nobody leaves.
  writeFileSync(file, HEADER + rows)
  await s.clickWhenReady(() => s.waitFor('[data-test=import-kind-roster]'))
  await s.clickWhenReady(() => s.waitFor('[data-test=import-mode-append]'))
  await s.clickWhenReady(() => s.waitFor('[data-test=pick-roster]'))
  await s.waitForText('[data-test=import-counts]', '新增 10')
  await s.clickWhenReady(() => s.waitFor('[data-test=apply-roster]'))
  await s.clickWhenReady(() => s.waitForElementWithText('.el-message-box__btns button', '导入'))
  let until = Date.now() + 15000
  while (active() < 12 && Date.now() < until) await new Promise((r) => setTimeout(r, 200))
  assert.equal(active(), 12)
  // The ledger has it; wait for the window too, which clears the preview when told.
  await s.waitForGone('[data-test=import-counts]')

  // Three names as the whole roster: nine would leave, and the window asks.
  writeFileSync(file, HEADER + '15001,王强,男,医药卫生,13900001111\r\n15002,李梅,女,教育,13900002222\r\n15003,委员3,男,教育,\r\n')
  await s.clickWhenReady(() => s.waitFor('[data-test=import-mode-full]'))
  await s.clickWhenReady(() => s.waitFor('[data-test=pick-roster]'))
  await s.waitForText('[data-test=deactivate-note]', '9 人')
  await s.clickWhenReady(() => s.waitFor('[data-test=apply-roster]'))
  await s.waitForText('[data-test=deactivate-confirm]', '将停用 9 位委员')
  await s.screenshot(join(ARTIFACTS, 'roster-confirm-deactivation.png'))
  assert.equal(await s.execute("return document.querySelector('[data-test=deactivate-apply]').disabled"), true)
  await s.clickWhenReady(() => s.waitFor('[data-test=deactivate-tick]'))
  await s.clickWhenReady(() => s.waitFor('[data-test=deactivate-apply]'))
  until = Date.now() + 15000
  while (active() > 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 200))
  assert.equal(active(), 3)
})
