/**
 * End to end through the real window, as the office in 履职积分: the year's ranking under
 * rules set by the CLI; a rule's points changed in the 积分规则 table and saved, and the
 * member's total follows (the CLI, reading the same ledger, agrees); the member's items
 * opened, down to the records behind them. Takes docs/screenshots/score-*.png.
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
const dir = mkdtempSync(join(tmpdir(), 'lvzhi-e2e-scores-'))
const db = join(dir, 'ledger.db')
const lvzhi = (...args) => execFileSync(CLI, ['--db', db, ...args], { encoding: 'utf8' })
const total = (code) => JSON.parse(lvzhi('score', 'show', '--year', '2024', '--json')).members.find((m) => m.member_code === code).total
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

let driver
let s

/** The total the ranking shows for the member named `name`. */
function shownTotal(name) {
  return s.execute(
    `const row = Array.from(document.querySelectorAll('[data-test=score-table] .el-table__body tr'))
       .find((r) => r.querySelector('[data-test=score-row-name]')?.textContent.includes(arguments[0]))
     return row?.querySelector('[data-test=score-row-total]')?.textContent ?? null`,
    [name],
  )
}

async function waitForTotal(name, text) {
  const until = Date.now() + 15000
  for (;;) {
    const shown = await shownTotal(name)
    if (shown === text) return
    if (Date.now() > until) throw new Error(`${name}'s total stayed ${shown}, not ${text}`)
    await sleep(200)
  }
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true })
  for (const [code, name, sector] of [
    ['15001', '王强', '经济界'],
    ['15002', '李梅', '经济界'],
    ['15003', '张华', '教育界'],
    ['15004', '刘洋', '教育界'],
  ]) {
    lvzhi('member', 'add', '--code', code, '--name', name, '--sector', sector)
  }
  const add = (date, category, title, author) =>
    lvzhi('activity', 'add', '--date', date, '--category', category, '--title', title, '--author', author)
  add('2024-03-01', 'studio_activity', '送医下乡义诊', '15001')
  add('2024-04-01', 'studio_activity', '法律咨询进社区', '15001')
  add('2024-05-01', 'studio_activity', '助学座谈', '15003')
  add('2024-06-01', 'proposal', '关于加强社区养老服务的提案', '15002')
  add('2024-07-01', 'opinion_report', '关于校外培训机构监管的建议', '15004')
  lvzhi('score', 'add', '--year', '2024', '--item', '工作室活动', '--basis', 'activity:studio_activity', '--points', '2', '--cap', '20')
  lvzhi('score', 'add', '--year', '2024', '--item', '提交提案', '--basis', 'proposal:submitted', '--points', '2', '--co-share', '50')
  lvzhi('score', 'add', '--year', '2024', '--item', '报送社情民意信息', '--basis', 'opinion:submitted', '--points', '2')
  driver = await startDriver(4498, { LVZHI_DB: db, XDG_DATA_HOME: join(dir, 'data') })
  s = await Session.create(driver.base, APP)
  await s.clickWhenReady(() => s.waitFor('[data-test=setup-office]'))
  await s.clickWhenReady(() => s.waitFor('[data-test=setup-save]'))
  await s.waitForGone('[data-test=setup-dialog]')
})

after(async () => {
  await s?.close()
  driver?.child.kill()
})

test('the ranking shows each member’s total under the year’s rules', async () => {
  await s.clickWhenReady(() => s.waitFor('[data-test=view-score]'))
  await s.waitForText('[data-test=score-row-name]', '王强')
  await waitForTotal('王强', '4')
  assert.equal(await shownTotal('张华'), '2')
  assert.equal(total('15001'), 400)
  await sleep(400)
  await s.screenshot(join(SHOTS, 'score-ranking.png'))
})

test('a rule changed in the window changes the member’s score, and the CLI agrees', async () => {
  await s.clickWhenReady(() => s.waitFor('[data-test=score-tab-rules]'))
  await s.waitFor('[data-test=rule-points-0] input')
  await s.setNumber('rule-points-0', 3.5)
  await s.clickWhenReady(() => s.waitFor('[data-test=score-save-rules]:not([disabled])'))
  await s.waitForText('.el-message', '积分规则已保存')
  await sleep(400)
  await s.screenshot(join(SHOTS, 'score-rules.png'))
  const rules = JSON.parse(lvzhi('score', 'rules', '--year', '2024', '--json')).rules
  assert.equal(rules[0].points, 350)
  assert.equal(total('15001'), 700)

  await s.clickWhenReady(() => s.waitFor('[data-test=score-tab-ranking]'))
  await waitForTotal('王强', '7')
  assert.equal(await shownTotal('张华'), '3.5')
})

test('the member’s score opens down to the records behind it', async () => {
  await s.execute(
    `const row = Array.from(document.querySelectorAll('[data-test=score-table] .el-table__body tr'))
       .find((r) => r.textContent.includes('王强'))
     row.querySelector('[data-test=score-open]').click()`,
  )
  await s.waitForText('[data-test=score-detail-total]', '总分：7 分')
  await s.waitForStill('.el-drawer')
  await s.clickWhenReady(() => s.waitForElementWithText('[data-test=score-detail-items] .el-collapse-item__header', '工作室活动'))
  await s.waitForText('[data-test=score-fact-title]', '送医下乡义诊')
  const titles = await s.execute(
    "return Array.from(document.querySelectorAll('[data-test=score-fact-title]')).map((e) => e.textContent)",
  )
  assert.deepEqual(titles, ['送医下乡义诊', '法律咨询进社区'])
  await s.waitForGone('.el-message', 15000)
  await sleep(500)
  await s.screenshot(join(SHOTS, 'score-detail.png'))
})
