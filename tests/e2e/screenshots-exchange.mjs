/**
 * Retakes docs/screenshots/exchange-conflict.png and exchange-quarantine.png: an office ledger
 * made with the CLI holds a conflict (the office corrected a member's record, and the member
 * changed it again) and three things waiting (a record naming a member not on the roster, a
 * package from another computer, a package of a member not on the roster); the real window
 * shows them. Run on its own under Xvfb (`tests/e2e/with-xvfb.sh node
 * tests/e2e/screenshots-exchange.mjs`), or as the last part of screenshots.mjs.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Session, startDriver } from './webdriver.mjs'

const root = resolve(import.meta.dirname, '../..')
const out = join(root, 'docs/screenshots')
mkdirSync(out, { recursive: true })
const home = mkdtempSync(join(tmpdir(), 'lvzhi-shots-exchange-'))
const cli = (db, ...args) => execFileSync(join(root, 'target/debug/lvzhi'), ['--db', db, ...args], { encoding: 'utf8' }).trim()
const db = (name) => join(home, `${name}.db`)
const file = (name) => join(home, `${name}.lvzhi`)

const ROSTER = [
  ['15001', '王建国'],
  ['15002', '李梅'],
]
const office = db('office')
for (const [code, name] of ROSTER) cli(office, 'member', 'add', '--code', code, '--name', name)
cli(office, 'settings', 'set', 'committee', 'XX市政协')
cli(office, 'device', 'set', '--office')

/** A member's laptop with the office's roster (and `extra` members the office lacks). */
function laptop(name, code, extra = []) {
  const l = db(name)
  for (const [c, n] of [...ROSTER, ...extra]) cli(l, 'member', 'add', '--code', c, '--name', n)
  cli(l, 'device', 'set', '--member', code)
  return l
}
const add = (l, ...args) => cli(l, 'activity', 'add', ...args)
const send = (l, code, name) => {
  cli(l, 'package', 'export', '--member', code, '--out', file(name))
  try {
    cli(office, 'package', 'import', file(name))
  } catch {
    // refused whole: it waits in quarantine, which is the point
  }
}

// The conflict: 王建国's record, corrected at the office, then changed again on his laptop.
const wang = laptop('wang', '15001', [['15003', '张伟']])
const visit = add(wang, '--date', '2024-07-02', '--category', 'inspection', '--title', '走访小微企业听取意见',
  '--member', '15001', '--member', '15002', '--served', '40', '--location', '西城街道', '--organizer', '经济界别')
send(wang, '15001', 'wang-1')
cli(office, 'activity', 'edit', visit, '--served', '45', '--location', '西城街道办事处')
cli(wang, 'activity', 'edit', visit, '--served', '60', '--notes', '补充了座谈会上企业提出的三条意见')
// A record naming 张伟, whom the office's roster lacks: it waits, the rest merge.
add(wang, '--date', '2024-07-09', '--category', 'opinion_report', '--title', '关于老旧小区加装电梯的建议',
  '--member', '15001', '--member', '15003')
send(wang, '15001', 'wang-2')

// 李梅's first laptop is known to the office; a package from another computer waits.
const li = laptop('li', '15002')
add(li, '--date', '2024-06-18', '--category', 'consultation', '--title', '参加“请你来协商”座谈会')
send(li, '15002', 'li-1')
const liNew = laptop('li-new', '15002')
add(liNew, '--date', '2024-08-20', '--category', 'training', '--title', '参加委员履职培训')
add(liNew, '--date', '2024-09-03', '--category', 'inspection', '--title', '视察农村饮水工程')
send(liNew, '15002', 'li-new')

// A member the office's roster does not have yet.
const zhao = laptop('zhao', '15009', [['15009', '赵新']])
add(zhao, '--date', '2024-10-11', '--category', 'other', '--title', '参加界别活动')
send(zhao, '15009', 'zhao')

const driver = await startDriver(4484, { XDG_DATA_HOME: join(home, 'data'), LVZHI_DB: office })
const s = await Session.create(driver.base, join(root, 'target/debug/lvzhi-desktop'))
try {
  await s.clickWhenReady(() => s.waitFor('[data-test=view-exchange]'))
  await s.waitForText('[data-test=conflict-title]', '走访小微企业听取意见')
  await new Promise((r) => setTimeout(r, 500))
  await s.screenshot(join(out, 'exchange-conflict.png'))
  await s.clickWhenReady(() => s.waitFor('[data-test=tab-quarantine]'))
  await s.waitForText('[data-test=quarantine-what]', '整个数据包')
  await new Promise((r) => setTimeout(r, 500))
  await s.screenshot(join(out, 'exchange-quarantine.png'))
} finally {
  await s.close()
  driver.child.kill()
}
console.log(`exchange screenshots written to ${out}`)
