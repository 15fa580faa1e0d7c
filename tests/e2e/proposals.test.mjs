/**
 * End to end through the real window, as the office in 提案与社情民意 on the demo ledger: a
 * proposal filed (立案) with its units through the CLI is answered in the window (办复 date
 * and satisfaction set in the stage dialog), and `lvzhi proposal show --json`, reading the
 * same ledger file, sees it. The opinion reports tab shows the adoptions by level.
 * (docs/screenshots/proposals.png and opinions.png come from screenshots.mjs.)
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Session, startDriver } from './webdriver.mjs'

const root = resolve(import.meta.dirname, '../..')
const TARGET = process.env.CARGO_TARGET_DIR || join(root, 'target')
const APP = join(TARGET, 'debug/lvzhi-desktop')
const CLI = join(TARGET, 'debug/lvzhi')
const ARTIFACTS = join(root, 'tests/e2e/artifacts')
const dir = mkdtempSync(join(tmpdir(), 'lvzhi-e2e-proposals-'))
const db = join(dir, 'ledger.db')
const lvzhi = (...args) => execFileSync(CLI, ['--db', db, ...args], { encoding: 'utf8' })
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const TITLE = '关于加强校园周边食品安全监管的建议'

let driver
let s
let id

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

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true })
  lvzhi('demo')
  // A member's proposal with two co-proposers, which the office files with a host and an
  // assisting unit.
  const [first, second, third] = JSON.parse(lvzhi('member', 'list', '--json')).map((m) => m.code)
  id = lvzhi('activity', 'add', '--date', '2024-03-05', '--category', 'proposal', '--title', TITLE, '--author', first, '--member', first, '--co-proposer', second, '--co-proposer', third, '--status', 'accepted').trim()
  lvzhi('proposal', 'stage', id, '--filing', 'filed', '--serial', '第169号', '--unit', '主办:市教育局', '--unit', '会办:市公安局交通警察大队')
  driver = await startDriver(4497, { LVZHI_DB: db, XDG_DATA_HOME: join(dir, 'data') })
  s = await Session.create(driver.base, APP)
})

after(async () => {
  await s?.close()
  driver?.child.kill()
})

test('the office moves a proposal from 立案 to 办复 in the window and the CLI sees it', async () => {
  await s.clickWhenReady(() => s.waitFor('[data-test=view-proposals]'))
  await s.waitForText('[data-test=proposal-title]', TITLE)
  await s.execute(
    `const row = Array.from(document.querySelectorAll('.el-table__body tr')).find((r) => r.textContent.includes(arguments[0]))
     row.querySelector('[data-test=open-stage]').click()`,
    [TITLE],
  )
  const picker = '[data-test=stage-answered] input'
  await s.waitFor(picker)
  await s.waitForStill('.el-dialog')
  const answered = await s.waitFor(picker)
  await s.click(answered)
  await s.type(answered, '2024年4月10日\uE007')
  await s.clickWhenReady(() => s.waitFor('.el-dialog__header'))
  await s.chooseOption('stage-satisfaction', '基本满意', '.el-dialog__header')
  await s.screenshot(join(ARTIFACTS, 'proposals-stage.png'))
  await s.clickWhenReady(() => s.waitFor('[data-test=stage-save]'))
  await s.waitForGone('.el-dialog')
  await eventually(() => JSON.parse(lvzhi('proposal', 'show', id, '--json')).stage.satisfaction === 'basically_satisfied', 'the satisfaction')
  const p = JSON.parse(lvzhi('proposal', 'show', id, '--json'))
  assert.equal(p.stage.filing, 'filed')
  assert.equal(p.stage.serial, '第169号')
  assert.equal(p.stage.answered_on, '2024-04-10')
  assert.equal(p.answered_on, '2024-04-10')
  assert.deepEqual(p.stage.units.map((u) => [u.role, u.unit]), [['host', '市教育局'], ['assist', '市公安局交通警察大队']])
  assert.equal(p.activity.title, TITLE, "the member's record is untouched")
  await s.waitForText('[data-test=satisfaction]', '基本满意')
  await s.waitForGone('.el-message', 15000)
  await sleep(400)
  await s.screenshot(join(ARTIFACTS, 'proposals-answered.png'))
})

test('the opinion reports tab shows the adoptions counted by level', async () => {
  await s.clickWhenReady(() => s.waitFor('#tab-opinions'))
  await s.waitForText('[data-test=adoption-tag]', '省级采用')
  const counts = JSON.parse(lvzhi('opinion', 'counts', '--year', '2024', '--json'))
  const shown = await s.execute("return document.querySelector('[data-test=adopted-city]').textContent.trim()")
  assert.equal(shown, String(counts.adopted.city))
  await sleep(400)
  await s.screenshot(join(ARTIFACTS, 'proposals-opinions.png'))
})
